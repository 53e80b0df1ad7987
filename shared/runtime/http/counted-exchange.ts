import type { ExchangeResult } from "./call-gate.ts";
import type { FetchFunction } from "./exchange.ts";
import { retryAfterOf } from "./retry-after.ts";

/** The exchanges a call made so far, and how the last one ended (the wrappers around it read it). */
export interface AttemptCount {
  count: number;
  last: ExchangeResult;
}

/** Counts each exchange sent, and records how it ended: an answer's status, or why there was none. */
export function countAttempts(
  send: FetchFunction,
  attempts: AttemptCount,
  signal: AbortSignal | undefined,
): FetchFunction {
  return async (input, init) => {
    attempts.count += 1;
    attempts.last = { status: "network" };
    try {
      const response = await send(input, init);
      const retryAfterMs = retryAfterOf(response);
      attempts.last = { status: response.status, retryAfterMs };
      return response;
    } catch (error) {
      attempts.last = { status: exchangeFailure(error, signal) };
      throw error;
    }
  };
}

/** ky times an exchange out by aborting its fetch; the caller's own abort is not a failure. */
function exchangeFailure(error: unknown, signal: AbortSignal | undefined) {
  if (signal?.aborted) return "aborted";
  return error instanceof Error && error.name === "AbortError" ? "timeout" : "network";
}
