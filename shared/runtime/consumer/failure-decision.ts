import type { FailureReason } from "../../contract/dead-letter-attributes.ts";
import type { Failure } from "./failure-classification.ts";

/** What becomes of an event after a failed attempt at it. */
export type FailureDecision =
  | { action: "retry"; retryAfterMs?: number | undefined }
  | { action: "wait" }
  | { action: "dead_letter"; reason: FailureReason };

/** How long a record may wait for a platform whose breaker is open. */
export interface OutagePatience {
  patienceMs: number;
  /** Since the record was queued; undefined when SQS did not say. */
  queuedForMs: number | undefined;
}

/** The rules (docs/consumer.md, "Per record" and "Error classes as implemented"), in order. */
export function decideAfterFailure(
  failure: Failure,
  /** Undefined when the ledger could not count the attempt. */
  attempt: number | undefined,
  maxAttempts: number,
  outage?: OutagePatience,
): FailureDecision {
  // 0. Waiting for a platform whose circuit breaker is open, or for the ledger: no attempt
  //    counts; a record queued for longer than the patience goes to the DLQ with the reason
  //    of what it waited for (`platform_unavailable`, `ledger_unavailable`).
  if (failure.kind === "waiting") {
    const tooLong = outage?.queuedForMs !== undefined && outage.queuedForMs >= outage.patienceMs;
    return tooLong ? { action: "dead_letter", reason: failure.reason } : { action: "wait" };
  }
  const retryAfterMs = failure.kind === "transient" ? failure.retryAfterMs : undefined;
  // 1. No attempt counted (the ledger failed before or under it): retry. Only a counted
  //    attempt can end in the DLQ, so nothing is decided while the ledger is away.
  if (attempt === undefined) return { action: "retry", retryAfterMs };
  // 2. Permanent: retrying cannot help; to the DLQ at once, with its reason.
  if (failure.kind === "permanent") return { action: "dead_letter", reason: failure.reason };
  // 3. Transient below the attempt limit: retry after the backoff (`Retry-After` honoured).
  if (attempt < maxAttempts) return { action: "retry", retryAfterMs };
  // 4. Transient at the limit: to the DLQ as `retries_exhausted`.
  return { action: "dead_letter", reason: "retries_exhausted" };
}
