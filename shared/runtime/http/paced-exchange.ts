import type { CallPace } from "./call-pace.ts";
import { type FetchFunction, observeExchange } from "./exchange.ts";

/**
 * The pace after a request's turn (`CallPace.wait`, before its first attempt): a retry takes a
 * turn without waiting for it, and every exchange's answer is reported with when it was sent.
 */
export function pacedRetries(
  send: FetchFunction,
  pace: CallPace,
  signal: AbortSignal | undefined,
): FetchFunction {
  let sentBefore = false;
  return async (input, init) => {
    if (sentBefore) pace.took();
    sentBefore = true;
    const sentAt = performance.now();
    return observeExchange(send(input, init), signal, (result) => pace.answered(result, sentAt));
  };
}
