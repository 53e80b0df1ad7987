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
 * 2. Only a decision the consumer publishes: applied, scheduled, cancelled, stale, or a dead
 *    letter whose entry keeps the letter's DLQ message id (its outcome id is made of it; an
 *    entry written before the id was kept is left out).
 * 3. As it was reached: its time is the entry's, an applied one says which targets it wrote, a
 *    dead letter its reason, target and letter (not the platform's status nor the detail: the
 *    ledger does not keep them; the letter does).
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
      item.messageId === messageId && eventKey(item) === key && isPublished(item),
  );
  if (entry === undefined) return undefined;
  return {
    outcome: entry.outcome,
    at: entry.at,
    ...(entry.written === undefined ? {} : { written: entry.written }),
    ...(entry.outcome === "dead_lettered"
      ? { reason: entry.reason, target: entry.target, dlqMessageId: entry.dlqMessageId }
      : {}),
  };
}

/** Rule 2. */
const PUBLISHED = ["applied", "scheduled", "cancelled", "stale"] as const;

type PublishedEntry = HistoryEntry & { outcome: ReachedOutcome["outcome"] };

function isPublished(entry: HistoryEntry): entry is PublishedEntry {
  if (entry.outcome === "dead_lettered") return entry.dlqMessageId !== undefined;
  return (PUBLISHED as readonly string[]).includes(entry.outcome);
}
