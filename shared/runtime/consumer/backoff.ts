import { MAX_VISIBILITY_SECONDS } from "./consumer-config.ts";

export interface BackoffSettings {
  baseSeconds: number;
  capSeconds: number;
}

/**
 * The visibility timeout of a record that failed its `attempt`-th real attempt: exponential
 * (base · 2^(attempt-1)), capped, with "equal jitter" (half fixed, half random) so concurrent
 * failures spread out yet never come back at once. A platform's `Retry-After` is honoured: the
 * wait is never shorter than it asked, even past the cap (up to SQS's 12-hour limit).
 */
export function backoffSeconds(
  attempt: number,
  settings: BackoffSettings,
  options: { retryAfterMs?: number | undefined; random?: () => number } = {},
): number {
  const random = options.random ?? Math.random;
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const ceiling = Math.min(settings.capSeconds, settings.baseSeconds * 2 ** exponent);
  const jittered = Math.round(ceiling / 2 + (random() * ceiling) / 2);
  const askedSeconds =
    options.retryAfterMs === undefined ? 0 : Math.ceil(Math.max(0, options.retryAfterMs) / 1000);
  return Math.min(MAX_VISIBILITY_SECONDS, Math.max(jittered, askedSeconds));
}

/** A short jittered pause (version-conflict re-reads): between half and all of `ms`. */
export function jitteredMs(ms: number, random: () => number = Math.random): number {
  return Math.round(ms / 2 + (random() * ms) / 2);
}

/**
 * The visibility timeout of a record waiting for a platform whose circuit breaker is open:
 * between four fifths of `waitSeconds` and all of it, so waiting records come back spread out
 * (each may find the probe due) and never later than `waitSeconds` after the platform recovers.
 */
export function waitingSeconds(waitSeconds: number, random: () => number = Math.random): number {
  return Math.max(1, Math.round(waitSeconds * (0.8 + 0.2 * random())));
}
