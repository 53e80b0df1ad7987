/** The webhook's routes: the function answers them, the REST API gives each its own throttle. */
export type WebhookRoute = "events" | "bamboohr";

export const WEBHOOK_PATHS: ReadonlyMap<string, WebhookRoute> = new Map([
  ["/events", "events"],
  ["/bamboohr", "bamboohr"],
]);

/**
 * SCIM 2.0 for identity providers, on the same API: every path under it goes to the SCIM
 * function (a resource `{proxy+}`), with a throttle of its own.
 */
export const SCIM_BASE_PATH = "/scim/v2";
