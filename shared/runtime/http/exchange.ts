import type { ExchangeResult } from "./call-gate.ts";
import type { CallStatus } from "./call-record.ts";
import { parseRetryAfter } from "./retry-after.ts";

/** One HTTP exchange as ky makes it (once per attempt): the shape of `fetch`. */
export type FetchFunction = (
  input: Request | URL | string,
  init?: RequestInit,
) => Promise<Response>;

/**
 * Runs the exchange and tells `ended` how it ended (an answer's status and `Retry-After`, or
 * why there was none) before its answer or error goes on.
 */
export async function observeExchange(
  exchange: Promise<Response>,
  signal: AbortSignal | undefined,
  ended: (result: ExchangeResult) => Promise<void> | void,
): Promise<Response> {
  let result: ExchangeResult = { status: "network" };
  try {
    const response = await exchange;
    result = {
      status: response.status,
      retryAfterMs: parseRetryAfter(response.headers.get("retry-after")),
    };
    return response;
  } catch (error) {
    result = { status: exchangeFailure(error, signal) };
    throw error;
  } finally {
    await ended(result);
  }
}

/** ky times an exchange out by aborting its fetch; the caller's own abort is not a failure. */
function exchangeFailure(error: unknown, signal: AbortSignal | undefined): CallStatus {
  if (signal?.aborted) return "aborted";
  return error instanceof Error && error.name === "AbortError" ? "timeout" : "network";
}
