import { WEBHOOK_PATHS, type WebhookRoute } from "../../contract/webhook-routes.ts";
import type { WebhookRequest } from "./webhook-request.ts";
import { responses, type WebhookResponse } from "./webhook-responses.ts";

/**
 * The first two checks, before the signature: which route (404 for another path, 405 for
 * another method) and whether the body is small enough (413). Neither looks inside the body.
 */

export const MAX_BODY_BYTES = 256 * 1024;
/**
 * BambooHR posts up to 1,000 employees with the fields a webhook monitors in one delivery:
 * well above 256 KiB, and a 413 is never retried, so its route takes more (Lambda's own limit
 * on a request is 6 MB).
 */
export const MAX_BAMBOOHR_BODY_BYTES = 2 * 1024 * 1024;
const BODY_LIMITS: Readonly<Record<WebhookRoute, number>> = {
  events: MAX_BODY_BYTES,
  bamboohr: MAX_BAMBOOHR_BODY_BYTES,
};

export type RequestClassification =
  | { ok: true; route: WebhookRoute }
  | { ok: false; response: WebhookResponse };

export function classifyRequest(request: WebhookRequest): RequestClassification {
  const route = WEBHOOK_PATHS.get(request.path);
  if (route === undefined) return { ok: false, response: responses.notFound() };
  if (request.method !== "POST") return { ok: false, response: responses.methodNotAllowed() };
  const limit = BODY_LIMITS[route];
  if (request.rawBody.length > limit) return { ok: false, response: responses.tooLarge(limit) };
  return { ok: true, route };
}
