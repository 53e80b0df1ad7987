import type { CallPace } from "./call-pace.ts";
import type { AttemptCount } from "./counted-exchange.ts";
import type { FetchFunction } from "./exchange.ts";

/**
 * The pace after a request's turn (`CallPace.wait`, before its first attempt): a retry takes a
 * turn without waiting for it, and every exchange's answer is reported with when it was sent.
 */
export function pacedRetries(
  send: FetchFunction,
  pace: CallPace,
  attempts: AttemptCount,
): FetchFunction {
  return async (input, init) => {
    if (attempts.count > 0) pace.took();
    const sentAt = performance.now();
    try {
      return await send(input, init);
    } finally {
      pace.answered(attempts.last, sentAt);
    }
  };
}
