import type { HTTPError, NetworkError, TimeoutError } from "ky";

/**
 * ky's error guards, by the errors' names as ky's own guards also match them (`instanceof` or
 * the same `name`). Importing ky's guards would evaluate ky when the consumer is imported; ky is
 * loaded at the first request instead (ky-at-first-use.ts).
 */
export function isHttpError(error: unknown): error is HTTPError {
  return nameOf(error) === "HTTPError";
}

export function isKyNetworkError(error: unknown): error is NetworkError {
  return nameOf(error) === "NetworkError";
}

/** ky's own timeout, and also an aborted `AbortSignal.timeout()` (a DOMException of that name). */
export function isKyTimeoutError(error: unknown): error is TimeoutError {
  return nameOf(error) === "TimeoutError";
}

function nameOf(error: unknown): unknown {
  return typeof error === "object" && error !== null
    ? (error as { name?: unknown }).name
    : undefined;
}
