import { createHash } from "node:crypto";

/**
 * The deduplication ids every sender uses (SQS allows 128 characters; SHA-256 hex is 64).
 * Parts are JSON-encoded before hashing so that no two different part lists collide.
 */
function hashParts(...parts: readonly (string | number)[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

/** Source queue: the event's idempotency key, so a resent event is dropped by SQS. */
export function sourceDeduplicationId(event: { source: string; id: string }): string {
  return hashParts("source", event.source, event.id);
}

/**
 * DLQ: the failed delivery and its attempt, so a crash between the DLQ send and the
 * acknowledgement cannot dead-letter it twice, while a later failure is not swallowed.
 */
export function deadLetterDeduplicationId(sourceMessageId: string, attempt: number): string {
  return hashParts("dlq", sourceMessageId, attempt);
}

/** Redrive: includes the redrive time, so a redrive within five minutes is not swallowed. */
export function redriveDeduplicationId(
  event: { source: string; id: string },
  redriveTimeMs: number,
): string {
  return hashParts("redrive", event.source, event.id, redriveTimeMs);
}

/**
 * A scheduled change put back on the queue when due: one id per event, so a scheduler run
 * repeated after a crash within SQS's five-minute window enqueues it once.
 */
export function dueDeduplicationId(event: { source: string; id: string }): string {
  return hashParts("due", eventKey(event));
}

/** The idempotency key of an event as the ledger stores it. */
export function eventKey(event: { source: string; id: string }): string {
  return JSON.stringify([event.source, event.id]);
}
