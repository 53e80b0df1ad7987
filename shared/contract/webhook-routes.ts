/** The webhook's routes: the function answers them, the REST API gives each its own throttle. */
export type WebhookRoute = "events" | "bamboohr";

export const WEBHOOK_PATHS: ReadonlyMap<string, WebhookRoute> = new Map([
  ["/events", "events"],
  ["/bamboohr", "bamboohr"],
]);
