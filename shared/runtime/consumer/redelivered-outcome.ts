import { eventKey } from "../events/deduplication-id.ts";
import type { EventRef, HistoryEntry, PersonRecord } from "../ledger/person-record.ts";
import type { ReachedOutcome } from "./outcome.ts";

/**
 * The outcome a redelivered message reached before, to publish again. The consumer records an
 * outcome in the ledger, then publishes it at the batch's end: an invocation that stops
 * between the two (a crash, a kill) leaves the message to be delivered again, and the
 * redelivery is judged a duplicate. The rules:
 *
 * 1. Only this very message: the newest history entry of the event carried by the same SQS
 *    message id. The same event in another message (a producer's re-send) publishes nothing.
 * 2. Only a decision the consumer publishes: applied, scheduled, cancelled or stale. A dead
 *    letter is left out (its outcome id is its DLQ message id, which the ledger does not keep).
 * 3. As it was reached: its time is the entry's, and an applied one says which targets it wrote.
 *    With the same outcome id (outcome-detail.ts, rule 1), a subscriber drops the copy should
 *    the first publish have been made after all (the invocation stopped before the delete).
 */
export function outcomeReachedBy(
  record: PersonRecord,
  event: Pick<EventRef, "source" | "id">,
  messageId: string,
): ReachedOutcome | undefined {
  const key = eventKey(event);
  const entry = record.history.find(
    (item): item is PublishedEntry =>
      item.messageId === messageId && eventKey(item) === key && isPublished(item.outcome),
  );
  if (entry === undefined) return undefined;
  return {
    outcome: entry.outcome,
    at: entry.at,
    ...(entry.written === undefined ? {} : { written: entry.written }),
  };
}

/** Rule 2. */
const PUBLISHED = ["applied", "scheduled", "cancelled", "stale"] as const;

type PublishedEntry = HistoryEntry & { outcome: ReachedOutcome["outcome"] };

function isPublished(outcome: HistoryEntry["outcome"]): outcome is (typeof PUBLISHED)[number] {
  return (PUBLISHED as readonly string[]).includes(outcome);
}
