import type { FailureReason } from "../../contract/dead-letter-attributes.ts";
import { eventKey } from "../events/deduplication-id.ts";
import { eventTimeMs, type LifecycleEvent } from "../events/lifecycle-event.ts";
import type {
  EventRef,
  HistoryEntry,
  HistoryOutcome,
  PendingDeadLetter,
  PersonRecord,
  ResolvedTargets,
  TargetName,
} from "./person-record.ts";
import { decidedAtOf, decisionOf, outranks } from "./timeline-rules.ts";

/**
 * The ledger rules as plain functions over a person record (docs/consumer.md, "Per record").
 * Each returns a new record; the caller writes it under its claim.
 */

export interface HistoryPolicy {
  /** Entries kept, newest first. */
  size: number;
  /** Entries older than this are dropped. */
  retentionMs: number;
}

/**
 * - `duplicate`: this very event (`source` + `id`) was applied already.
 * - `stale`: an event the applied one outranks, or ties with (timeline-rules.ts, rule 3: by
 *   when each was decided): the applied event is effective already, so it governs every
 *   instant such an event could.
 * - `new`: apply it.
 */
export type LedgerVerdict = "new" | "duplicate" | "stale";

const keyOf = (ref: Pick<EventRef, "source" | "id">): string => eventKey(ref);

/**
 * `corrects`: set for a corrective event from reconciliation (the key of the applied event it
 * re-asserts). Such an event is judged only by whether that event is still the newest applied
 * (and it asks the same thing): then `new`, else `stale`. Its own time never makes it stale.
 */
export function judgeEvent(
  record: PersonRecord | undefined,
  event: EventRef,
  corrects?: string,
): LedgerVerdict {
  const newest = record?.newestApplied;
  if (corrects !== undefined) {
    return newest !== undefined && keyOf(newest) === corrects && newest.type === event.type
      ? "new"
      : "stale";
  }
  if (newest === undefined) return "new";
  const key = keyOf(event);
  if (keyOf(newest) === key) return "duplicate";
  // Applied events always move `newestApplied` forward, so an older applied event is also
  // older than the newest: the history only gives it the more precise name.
  const appliedBefore = record?.history.some(
    (entry) => entry.outcome === "applied" && keyOf(entry) === key,
  );
  if (appliedBefore) return "duplicate";
  return outranks(decisionOf(event), decisionOf(newest)) ? "new" : "stale";
}

/**
 * Dead letters across a crash. Around a dead letter the consumer (a) writes the decision
 * (`inProgress.pendingDeadLetter`, with the message id and attempt), (b) sends the letter
 * (deduplication id = hash(message id, attempt)), (c) writes the completion (`dead_lettered` in
 * the history, with the message id), and (d) SQS deletes the message. It may stop between any
 * two; SQS then delivers the same message, same message id, again. The ledger decides:
 * 1. This message's `dead_lettered` entry: (c) is written only after (b) succeeded, so the letter
 *    is in the DLQ. The redelivery is a `duplicate`, acknowledged without a send
 *    (`deadLetterSent`). The bounded history keeps the entry: while the message is in flight,
 *    the FIFO group holds back every other event of the person.
 * 2. This message's decision, no completion: whether (b) happened, the ledger cannot tell. The
 *    same letter is sent again (same attempt, so the same deduplication id), never the platforms
 *    tried anew. SQS drops that copy only within its 5-minute deduplication window, so a crash
 *    redelivered later leaves two letters; that is the lesser harm: a copy is redriven
 *    harmlessly (the ledger applies the event once), a letter lost by writing (c) before (b)
 *    is gone (`inProgressOf(...).pendingDeadLetter`).
 * 3. Another message's decision: that message left the queue (acknowledged once its letter was
 *    sent although (c) failed, or moved by the queue's redrive policy). This message, a redrive,
 *    starts the event afresh, as (c) would have left it (`inProgressOf` is undefined).
 */
export function deadLetterSent(record: PersonRecord, event: EventRef, messageId: string): boolean {
  const key = keyOf(event);
  return record.history.some(
    (entry) =>
      entry.outcome === "dead_lettered" && entry.messageId === messageId && keyOf(entry) === key,
  );
}

/** This event's progress, for this message (rule 3 above: another's dead letter ended it). */
export function inProgressOf(record: PersonRecord, event: EventRef, messageId: string) {
  const current = record.inProgress;
  if (current === undefined || keyOf(current) !== keyOf(event)) return undefined;
  const decidedFor = current.pendingDeadLetter?.messageId;
  return decidedFor === undefined || decidedFor === messageId ? current : undefined;
}

/** The event at hand, as a transition that records it in the history is told it. */
export interface EventStep {
  record: PersonRecord;
  event: EventRef;
  now: number;
  policy: HistoryPolicy;
  /** The SQS message that carried the event. */
  messageId: string;
}

/**
 * Counts a real attempt. Another event's leftover progress is replaced: only one event of a
 * person is in progress at a time (the FIFO group holds the rest back).
 */
export function startAttempt({
  record,
  event,
  now,
  messageId,
}: Pick<EventStep, "record" | "event" | "now" | "messageId">): PersonRecord {
  const current = inProgressOf(record, event, messageId);
  return {
    ...record,
    inProgress: {
      ...event,
      attempts: (current?.attempts ?? 0) + 1,
      done: current?.done ?? [],
      ...(current?.resolved ? { resolved: current.resolved } : {}),
      ...(current?.osisKeysInactiveBefore
        ? { osisKeysInactiveBefore: current.osisKeysInactiveBefore }
        : {}),
    },
    updatedAt: now,
  };
}

/** The target is in the wanted state for this event: a retry does not touch it again. */
export function markTargetDone({
  record,
  target,
  resolved,
  now,
}: {
  record: PersonRecord;
  target: TargetName;
  resolved: ResolvedTargets;
  now: number;
}): PersonRecord {
  const current = record.inProgress;
  if (current === undefined) return record;
  return {
    ...record,
    inProgress: {
      ...current,
      done: current.done.includes(target) ? current.done : [...current.done, target],
      resolved: { ...current.resolved, ...resolved },
    },
    updatedAt: now,
  };
}

/**
 * `corrects` (a corrective event, see `judgeEvent`): the newest-applied marker and the desired
 * state stay as they are, so a later genuine event is never made stale by the correction; the
 * history says `corrected`.
 */
export function completeApplied(
  step: EventStep & {
    wantEnabled: boolean;
    corrects?: string | undefined;
    effectiveAt?: number | undefined;
    written?: TargetName[] | undefined;
  },
): PersonRecord {
  const { inProgress, ...rest } = step.record;
  const resolved = { ...rest.resolved, ...inProgress?.resolved };
  const corrective = step.corrects !== undefined;
  return withHistory(
    {
      ...rest,
      ...(corrective
        ? {}
        : {
            newestApplied: {
              ...step.event,
              appliedAt: step.now,
              ...(step.effectiveAt === undefined ? {} : { effectiveAt: step.effectiveAt }),
            },
            desiredEnabled: step.wantEnabled,
          }),
      ...(Object.keys(resolved).length > 0 ? { resolved } : {}),
    },
    step,
    { outcome: corrective ? "corrected" : "applied", written: step.written },
  );
}

/** A duplicate or stale event, or one whose scheduled change was cancelled: only the history changes. */
export function recordAcknowledged(
  step: EventStep & { outcome: Extract<HistoryOutcome, "duplicate" | "stale" | "cancelled"> },
): PersonRecord {
  return withHistory(step.record, step, { outcome: step.outcome });
}

export function recordFailedAttempt(
  step: EventStep & { target?: TargetName | undefined },
): PersonRecord {
  return withHistory(step.record, step, { outcome: "failed_attempt", target: step.target });
}

export function markDeadLetterPending({
  record,
  pending,
  now,
}: {
  record: PersonRecord;
  pending: PendingDeadLetter;
  now: number;
}): PersonRecord {
  const current = record.inProgress;
  if (current === undefined) return record;
  return { ...record, inProgress: { ...current, pendingDeadLetter: pending }, updatedAt: now };
}

/**
 * The event is in the DLQ. Its progress is dropped: an event that ended in the DLQ is not
 * applied, so a redrive starts it afresh (and is not a duplicate).
 */
export function completeDeadLettered(
  step: EventStep & {
    reason: FailureReason;
    target?: TargetName | undefined;
    dlqMessageId?: string | undefined;
  },
): PersonRecord {
  const { inProgress, ...rest } = step.record;
  const keep = inProgress !== undefined && keyOf(inProgress) !== keyOf(step.event);
  return withHistory({ ...rest, ...(keep ? { inProgress } : {}) }, step, {
    outcome: "dead_lettered",
    reason: step.reason,
    target: step.target,
    dlqMessageId: step.dlqMessageId,
  });
}

/** `next` with the step's event entered at the head of the history. */
function withHistory(
  next: PersonRecord,
  { record, event, now, policy, messageId }: EventStep,
  {
    outcome,
    reason,
    target,
    written,
    dlqMessageId,
  }: {
    outcome: HistoryOutcome;
    reason?: FailureReason;
    target?: TargetName | undefined;
    written?: TargetName[] | undefined;
    dlqMessageId?: string | undefined;
  },
): PersonRecord {
  const entry: HistoryEntry = {
    ...event,
    outcome,
    ...(reason ? { reason } : {}),
    at: now,
    ...(target ? { target } : {}),
    messageId,
    ...(written ? { written } : {}),
    ...(dlqMessageId ? { dlqMessageId } : {}),
  };
  return { ...next, history: appendHistory(record.history, entry, policy, now), updatedAt: now };
}

/** Newest first; at most `size` entries, none older than the retention. */
export function appendHistory(
  history: readonly HistoryEntry[],
  entry: HistoryEntry,
  policy: HistoryPolicy,
  now: number,
): HistoryEntry[] {
  const oldest = now - policy.retentionMs;
  return [entry, ...history].filter((item) => item.at >= oldest).slice(0, policy.size);
}

/**
 * The ledger's reference to an event: its key, its type, its time as epoch ms and, when known,
 * when it arrived and so when it was decided (timeline-rules.ts, rule 1).
 */
export function refOf(
  event: Pick<LifecycleEvent, "source" | "id" | "type" | "time">,
  arrivedAt?: number,
): EventRef {
  const time = eventTimeMs(event);
  const ref = { source: event.source, id: event.id, type: event.type, time };
  return arrivedAt === undefined
    ? ref
    : { ...ref, arrivedAt, decidedAt: decidedAtOf(time, arrivedAt) };
}
