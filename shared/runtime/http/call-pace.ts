import type { ExchangeResult } from "./call-gate.ts";

/**
 * How fast requests to one platform may start (shared/runtime/pace/ learns it from 429s). A request
 * waits for its turn before its first attempt, outside the attempt's timeout, so a paced
 * request is never mistaken for a platform that stopped answering. A retry goes at its own
 * backoff (`Retry-After` honoured) without waiting, but takes a turn, so retries and new
 * requests together keep the pace. Every exchange's answer is reported, with when it was sent.
 * Times are `performance.now()`.
 */
export interface CallPace {
  /** Resolves at the request's turn, or at once when `signal` aborts. */
  wait(signal?: AbortSignal): Promise<void>;
  /** A retry took a turn without waiting for it. */
  took(): void;
  answered(result: ExchangeResult, sentAt: number): void;
}
