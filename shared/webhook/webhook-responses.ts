import type { ValidationProblem } from "../events/validation.ts";

/** What the webhook answers, independent of API Gateway's result shape. */
export interface WebhookResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const json = (status: number, body: unknown, type = "application/json"): WebhookResponse => ({
  status,
  headers: { "content-type": type },
  body: JSON.stringify(body),
});

const problem = (status: number, title: string, extra: Record<string, unknown> = {}) =>
  json(status, { type: "about:blank", title, status, ...extra }, "application/problem+json");

export const responses = {
  accepted: (ids: readonly string[], extra: Record<string, unknown> = {}) =>
    json(202, { accepted: ids, ...extra }),
  invalid: (problems: readonly ValidationProblem[]) =>
    problem(400, "The request holds invalid events; none was accepted", { problems }),
  /** No detail: a caller without the key learns nothing from the answer. */
  unauthorized: (): WebhookResponse => ({ status: 401, headers: {}, body: "" }),
  notFound: () => problem(404, "No such route"),
  methodNotAllowed: () => ({
    ...problem(405, "Method not allowed"),
    headers: { allow: "POST", "content-type": "application/problem+json" },
  }),
  tooLarge: (limit: number) => problem(413, `The body is larger than ${limit} bytes`),
  unsupportedType: (allowed: readonly string[]) =>
    problem(415, `Content-Type must be one of: ${allowed.join(", ")}`),
  unavailable: () => ({
    ...problem(
      503,
      "The queue did not accept every event; retry the whole request (it is idempotent)",
    ),
    headers: { "content-type": "application/problem+json", "retry-after": "5" },
  }),
};
