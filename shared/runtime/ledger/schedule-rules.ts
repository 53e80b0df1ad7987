import { eventKey } from "../events/deduplication-id.ts";
import {
  appendHistory,
  type EventStep,
  type HistoryPolicy,
  recordAcknowledged,
} from "./person-ledger-rules.ts";
import type { CancelledChange, PendingChange, PersonRecord } from "./person-record.ts";
import { cancelledBy, decisionOf, EFFECTIVE_NOW_TOLERANCE_MS } from "./timeline-rules.ts";

/**
 * The transitions of a person's pending changes (docs/consumer.md#scheduled-changes), as plain
 * functions over a person record. What an event is (apply, schedule, stale…) is decided by the
 * timeline rule (timeline-rules.ts); these keep the record in step with that verdict. Each
 * returns a new record; the caller writes it under its claim.
 *
 * 1. A change still ahead is added to the person's pending changes, soonest first; the changes
 *    it outranks that take effect at or after it are cancelled (timeline rule 6).
 * 2. An event about to be applied: its own pending entry, if any, becomes an ordinary event in
 *    progress; the changes it outranks that take effect at or after it are cancelled.
 * 3. A pending change that governs nothing any more (a later one already governs) leaves the
 *    pending changes when it comes back from the scheduler: judged stale, never applied.
 * 4. An operator cancels one named change.
 * 5. A cancelled change is remembered (the newest CANCELLED_KEPT of them), so a copy of its
 *    event arriving later (the scheduler's, a redrive) is never applied.
 */

/** Cancelled changes a person's item remembers (rule 5). */
export const CANCELLED_KEPT = 20;

/** Whether the scheduler should put the change back on the queue, or has. */
export function isDue(change: PendingChange, now: number): boolean {
  return change.enqueuedAt !== undefined || change.effectiveAt <= now + EFFECTIVE_NOW_TOLERANCE_MS;
}

/** Rule 1: records the change for later. */
export function scheduleChange(step: EventStep & { effectiveAt: number }): PersonRecord {
  const { event, now, policy, messageId, effectiveAt } = step;
  const record = cancelOutranked(step, effectiveAt);
  const change: PendingChange = { ...event, effectiveAt, scheduledAt: now };
  const pending = [...(record.pendingChanges ?? []), change].sort(
    (a, b) => a.effectiveAt - b.effectiveAt,
  );
  return {
    ...record,
    pendingChanges: pending,
    history: appendHistory(
      record.history,
      { ...event, outcome: "scheduled", effectiveAt, at: now, messageId },
      policy,
      now,
    ),
    updatedAt: now,
  };
}

/** Rule 2 (`effectiveAt`: the event's `data.effectiveAt`, if it has one). */
export function settleSchedule(step: EventStep, effectiveAt?: number): PersonRecord {
  const record = withoutPending(step.record, eventKey(step.event), step.now);
  return cancelOutranked({ ...step, record }, effectiveAt);
}

/** Rule 3 (and rule 2's first half): the change no longer pending; nothing else changes. */
export function withoutPending(record: PersonRecord, key: string, now: number): PersonRecord {
  const pending = record.pendingChanges ?? [];
  const rest = pending.filter((change) => eventKey(change) !== key);
  if (rest.length === pending.length) return record;
  return { ...record, pendingChanges: rest, updatedAt: now };
}

/** A duplicate, stale or cancelled event acknowledged; a stale pending change leaves (rule 3). */
export function acknowledge(
  step: EventStep & { outcome: "duplicate" | "stale" | "cancelled" },
): PersonRecord {
  const { record, event, now, outcome } = step;
  const settled = outcome === "stale" ? withoutPending(record, eventKey(event), now) : record;
  return recordAcknowledged({ ...step, record: settled });
}

/** Rule 4: `lifecycle schedule cancel`; undefined when the change is not pending. */
export function cancelByOperator(step: {
  record: PersonRecord;
  key: string;
  operator: string;
  now: number;
  policy: HistoryPolicy;
}): PersonRecord | undefined {
  const change = step.record.pendingChanges?.find((pending) => eventKey(pending) === step.key);
  if (change === undefined) return undefined;
  return cancel(step.record, [change], { ...step, by: `operator:${step.operator}` });
}

/** The scheduler put the change back on the queue (it leaves the index's `waiting` part). */
export function markEnqueued(record: PersonRecord, key: string, now: number): PersonRecord {
  return {
    ...record,
    pendingChanges: (record.pendingChanges ?? []).map((change) =>
      eventKey(change) === key ? { ...change, enqueuedAt: now } : change,
    ),
    updatedAt: now,
  };
}

function cancelOutranked(step: EventStep, effectiveAt: number | undefined): PersonRecord {
  const { record, event } = step;
  const pending = record.pendingChanges ?? [];
  const decision = decisionOf(event, effectiveAt);
  const outranked = new Set(
    cancelledBy(
      decision,
      pending.map((change) => decisionOf(change, change.effectiveAt)),
    ).map((change) => change.key),
  );
  const cancelled = pending.filter((change) => outranked.has(eventKey(change)));
  return cancel(record, cancelled, { ...step, by: decision.key });
}

/** Rule 5: the changes leave the pending ones, are remembered, and the history says by what. */
function cancel(
  record: PersonRecord,
  changes: readonly PendingChange[],
  settling: { by: string; now: number; policy: HistoryPolicy },
): PersonRecord {
  if (changes.length === 0) return record;
  const { by, now, policy } = settling;
  const keys = new Set(changes.map((change) => eventKey(change)));
  const remembered: CancelledChange[] = changes.map((change) => ({
    key: eventKey(change),
    by,
    at: now,
  }));
  let history = record.history;
  for (const change of changes) {
    const { effectiveAt: _at, scheduledAt: _since, enqueuedAt: _sent, ...ref } = change;
    history = appendHistory(
      history,
      { ...ref, outcome: "cancelled", cancelledBy: by, at: now },
      policy,
      now,
    );
  }
  return {
    ...record,
    pendingChanges: (record.pendingChanges ?? []).filter((change) => !keys.has(eventKey(change))),
    cancelledChanges: [...remembered, ...(record.cancelledChanges ?? [])].slice(0, CANCELLED_KEPT),
    history,
    updatedAt: now,
  };
}
