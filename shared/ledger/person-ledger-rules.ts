import type { FailureReason } from "../dlq/attributes.ts";
import { eventKey } from "../events/deduplication-id.ts";
import type {
  EventRef,
  HistoryEntry,
  HistoryOutcome,
  PendingDeadLetter,
  PersonRecord,
  ResolvedTargets,
  TargetName,
} from "./person-record.ts";

/**
 * The ledger rules as plain functions over a person record (design brief, "Ledger rules").
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
 * - `stale`: an event with a time not after it was applied (equal times: not newer).
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
  return event.time <= newest.time ? "stale" : "new";
}

/** The event in progress, when it is this event. */
export function inProgressOf(record: PersonRecord, event: EventRef) {
  const current = record.inProgress;
  return current !== undefined && keyOf(current) === keyOf(event) ? current : undefined;
}

/**
 * Counts a real attempt. Another event's leftover progress is replaced: only one event of a
 * person is in progress at a time (the FIFO group holds the rest back).
 */
export function startAttempt(record: PersonRecord, event: EventRef, now: number): PersonRecord {
  const current = inProgressOf(record, event);
  return {
    ...record,
    inProgress: {
      ...refOf(event),
      attempts: (current?.attempts ?? 0) + 1,
      done: current?.done ?? [],
      ...(current?.resolved ? { resolved: current.resolved } : {}),
    },
    updatedAt: now,
  };
}

/** The target is in the wanted state for this event: a retry does not touch it again. */
export function markTargetDone(
  record: PersonRecord,
  target: TargetName,
  resolved: ResolvedTargets,
  now: number,
): PersonRecord {
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
  record: PersonRecord,
  event: EventRef,
  wantEnabled: boolean,
  now: number,
  policy: HistoryPolicy,
  messageId: string,
  corrects?: string,
): PersonRecord {
  const { inProgress, ...rest } = record;
  const resolved = { ...record.resolved, ...inProgress?.resolved };
  const corrective = corrects !== undefined;
  return {
    ...rest,
    ...(corrective
      ? {}
      : { newestApplied: { ...refOf(event), appliedAt: now }, desiredEnabled: wantEnabled }),
    ...(Object.keys(resolved).length > 0 ? { resolved } : {}),
    history: appendHistory(
      record.history,
      { ...refOf(event), outcome: corrective ? "corrected" : "applied", at: now, messageId },
      policy,
      now,
    ),
    updatedAt: now,
  };
}

/** A duplicate or stale event: only the history changes. */
export function recordAcknowledged(
  record: PersonRecord,
  event: EventRef,
  outcome: Extract<HistoryOutcome, "duplicate" | "stale">,
  now: number,
  policy: HistoryPolicy,
  messageId: string,
): PersonRecord {
  return {
    ...record,
    history: appendHistory(
      record.history,
      { ...refOf(event), outcome, at: now, messageId },
      policy,
      now,
    ),
    updatedAt: now,
  };
}

export function recordFailedAttempt(
  record: PersonRecord,
  event: EventRef,
  now: number,
  policy: HistoryPolicy,
  details: { messageId: string; target?: TargetName | undefined },
): PersonRecord {
  return {
    ...record,
    history: appendHistory(
      record.history,
      {
        ...refOf(event),
        outcome: "failed_attempt",
        at: now,
        messageId: details.messageId,
        ...(details.target ? { target: details.target } : {}),
      },
      policy,
      now,
    ),
    updatedAt: now,
  };
}

export function markDeadLetterPending(
  record: PersonRecord,
  pending: PendingDeadLetter,
  now: number,
): PersonRecord {
  const current = record.inProgress;
  if (current === undefined) return record;
  return { ...record, inProgress: { ...current, pendingDeadLetter: pending }, updatedAt: now };
}

/**
 * The event is in the DLQ. Its progress is dropped: an event that ended in the DLQ is not
 * applied, so a redrive starts it afresh (and is not a duplicate).
 */
export function completeDeadLettered(
  record: PersonRecord,
  event: EventRef,
  reason: FailureReason,
  now: number,
  policy: HistoryPolicy,
  details: { messageId: string; target?: TargetName | undefined },
): PersonRecord {
  const { inProgress, ...rest } = record;
  const keep = inProgress !== undefined && keyOf(inProgress) !== keyOf(event);
  return {
    ...rest,
    ...(keep ? { inProgress } : {}),
    history: appendHistory(
      record.history,
      {
        ...refOf(event),
        outcome: "dead_lettered",
        reason,
        at: now,
        messageId: details.messageId,
        ...(details.target ? { target: details.target } : {}),
      },
      policy,
      now,
    ),
    updatedAt: now,
  };
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

export function refOf(event: EventRef): EventRef {
  return { source: event.source, id: event.id, type: event.type, time: event.time };
}
