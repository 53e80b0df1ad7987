import type { WebhookRoute } from "../../contract/webhook-routes.ts";

/**
 * What a Content-Type says the body is. Parameters are allowed (`; charset=utf-8`); a charset
 * other than UTF-8 is refused, since the body is read as UTF-8 JSON.
 */
export type BodyKind = "event" | "batch" | "bamboohr" | "bamboohr-form";

export const SINGLE_EVENT_TYPES = ["application/cloudevents+json", "application/json"] as const;
export const BATCH_EVENT_TYPE = "application/cloudevents-batch+json";
export const BAMBOOHR_TYPE = "application/json";
/** BambooHR's `format: form-encoded` webhooks. */
export const BAMBOOHR_FORM_TYPE = "application/x-www-form-urlencoded";

/** The media types each route accepts, for the 415 answer. */
export const ACCEPTED_TYPES: Readonly<Record<WebhookRoute, readonly string[]>> = {
  events: [...SINGLE_EVENT_TYPES, BATCH_EVENT_TYPE],
  bamboohr: [BAMBOOHR_TYPE, BAMBOOHR_FORM_TYPE],
};

/** The body kind of a request to `route`, or undefined when its content type is not accepted. */
export function classifyContentType(
  route: WebhookRoute,
  contentType: string | undefined,
): BodyKind | undefined {
  const [type, ...parameters] = (contentType ?? "").split(";").map((part) => part.trim());
  const mediaType = type?.toLowerCase() ?? "";
  if (!parameters.every(isUtf8OrNotCharset)) return undefined;
  if (route === "bamboohr") {
    if (mediaType === BAMBOOHR_TYPE) return "bamboohr";
    return mediaType === BAMBOOHR_FORM_TYPE ? "bamboohr-form" : undefined;
  }
  if (mediaType === BATCH_EVENT_TYPE) return "batch";
  return (SINGLE_EVENT_TYPES as readonly string[]).includes(mediaType) ? "event" : undefined;
}

/** Whether a media type parameter is not a charset, or a charset of UTF-8. */
export function isUtf8OrNotCharset(parameter: string): boolean {
  const [name = "", value = ""] = parameter.split("=").map((part) => part.trim().toLowerCase());
  if (name !== "charset") return true;
  return ["utf-8", "utf8", '"utf-8"'].includes(value);
}
