import type { WebhookRequest } from "./webhook-request.ts";
import { responses, type WebhookResponse } from "./webhook-responses.ts";

/**
 * The first two checks, before the signature: which route (404 for another path, 405 for
 * another method) and whether the body is small enough (413). Neither looks inside the body.
 */
export type WebhookRoute = "events" | "bamboohr";

export const WEBHOOK_PATHS: ReadonlyMap<string, WebhookRoute> = new Map([
  ["/events", "events"],
  ["/bamboohr", "bamboohr"],
]);

export const MAX_BODY_BYTES = 256 * 1024;

export type RequestClassification =
  | { ok: true; route: WebhookRoute }
  | { ok: false; response: WebhookResponse };

export function classifyRequest(request: WebhookRequest): RequestClassification {
  const route = WEBHOOK_PATHS.get(request.path);
  if (route === undefined) return { ok: false, response: responses.notFound() };
  if (request.method !== "POST") return { ok: false, response: responses.methodNotAllowed() };
  if (request.rawBody.length > MAX_BODY_BYTES) {
    return { ok: false, response: responses.tooLarge(MAX_BODY_BYTES) };
  }
  return { ok: true, route };
}
