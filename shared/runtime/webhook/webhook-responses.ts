import type { SignatureFailure } from "../../contract/signature-failures.ts";
import type { ValidationProblem } from "../events/validation.ts";

/** What the webhook answers, independent of API Gateway's result shape. */
export interface WebhookResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /**
   * Why a request was refused, in one word: the `reason` of the `WebhookRejected` metric and
   * of the log line. Never sent to the caller.
   */
  reason?: string;
}

const PROBLEM_JSON = "application/problem+json";

const json = (status: number, body: unknown): WebhookResponse => ({
  status,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

/** RFC 9457 problem details; `type` is about:blank, so `title` is the status's own meaning. */
const problem = (
  status: number,
  reason: string,
  title: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): WebhookResponse => ({
  status,
  headers: { "content-type": PROBLEM_JSON, ...headers },
  body: JSON.stringify({ type: "about:blank", title, status, ...extra }),
  reason,
});

/** Seconds a sender should wait before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 5;

export const responses = {
  accepted: (ids: readonly string[], extra: Record<string, unknown> = {}) =>
    json(202, { accepted: ids, ...extra }),
  invalid: (problems: readonly ValidationProblem[]) =>
    problem(400, "invalid_events", "Bad Request", {
      detail: "The body holds invalid events; none was accepted.",
      problems,
    }),
  /** Authentic, but signed by a key limited to other sources: nothing was accepted. */
  forbiddenSources: (sources: readonly string[], problems: readonly ValidationProblem[]) =>
    problem(403, "source_not_allowed", "Forbidden", {
      detail: `The signing key may not send events of source ${sources.map((source) => `"${source}"`).join(", ")}; none was accepted.`,
      problems,
    }),
  /** No detail and no body: a caller without the key learns nothing from the answer. */
  unauthorized: (failure: SignatureFailure): WebhookResponse => ({
    status: 401,
    headers: {},
    body: "",
    reason: failure,
  }),
  notFound: () =>
    problem(404, "not_found", "Not Found", {
      detail: "The routes are POST /events and POST /bamboohr.",
    }),
  methodNotAllowed: () =>
    problem(
      405,
      "method_not_allowed",
      "Method Not Allowed",
      { detail: "Only POST is accepted." },
      { allow: "POST" },
    ),
  /** A body within the byte limit that holds more than a delivery may (nothing was enqueued). */
  tooManyEvents: (problems: readonly ValidationProblem[]) =>
    problem(413, "too_many_events", "Content Too Large", {
      detail: "The body holds more than one delivery may; none was accepted.",
      problems,
    }),
  tooLarge: (limit: number) =>
    problem(413, "too_large", "Content Too Large", {
      detail: `The body is larger than ${limit} bytes.`,
    }),
  unsupportedType: (accepted: readonly string[]) =>
    problem(415, "unsupported_media_type", "Unsupported Media Type", {
      detail: `Content-Type must be one of: ${accepted.join(", ")} (charset, if given, utf-8).`,
    }),
  /** The queue or the signing keys could not be reached: the whole request may be retried. */
  unavailable: () =>
    problem(
      503,
      "unavailable",
      "Service Unavailable",
      { detail: "Retry the whole request; events already queued are deduplicated." },
      { "retry-after": String(RETRY_AFTER_SECONDS) },
    ),
};
