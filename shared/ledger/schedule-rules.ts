import { eventKey } from "../events/deduplication-id.ts";
import { appendHistory, type EventStep, type HistoryPolicy } from "./person-ledger-rules.ts";
import type { EventRef, PersonRecord, ScheduledChange } from "./person-record.ts";

/**
 * The rules of scheduled changes (docs/consumer.md#scheduled-changes) as plain functions over a
 * person record, beside the ledger rules they follow: an event is first judged by
 * `judgeEvent` (duplicate, stale, new); a new one is then judged here. Each transition returns
 * a new record; the caller writes it under its claim.
 */

/** A change whose `effectiveAt` is no later than now plus this is applied on arrival. */
export const EFFECTIVE_NOW_TOLERANCE_MS = 1_000;

/**
 * - `apply`: take effect now, through the normal path (`settleSchedule` when it starts).
 * - `schedule`: record it as the person's scheduled change (`scheduleChange`); acknowledge.
 * - `duplicate`, `stale`: acknowledged, as the ledger rules' verdicts of the same name.
 * - `cancelled`: the event of a schedule that was settled; acknowledged, never applied.
 */
export type ScheduleVerdict = "apply" | "schedule" | "duplicate" | "stale" | "cancelled";

/** Judges an event the ledger rules found `new`; `effectiveAt` in epoch ms, if it has one. */
export function judgeSchedule(
  record: PersonRecord | undefined,
  event: EventRef,
  effectiveAt: number | undefined,
  now: number,
): ScheduleVerdict {
  // 1. No `effectiveAt`: the event takes effect on arrival, under the ledger rules alone (an
  //    older one does not touch a newer schedule: `settleSchedule` leaves it in place).
  if (effectiveAt === undefined) return "apply";
  const key = eventKey(event);
  const pending = record?.scheduled;
  // 2. The pending change itself: again before it is due, a duplicate; once due, or once the
  //    scheduler has put it back on the queue (whatever this clock says), it is applied.
  if (pending !== undefined && eventKey(pending) === key) {
    return isDue(pending, now) ? "apply" : "duplicate";
  }
  // 3. The change a newer event or an operator settled (the scheduler's copy sent just before
  //    the cancel, say): never applied.
  const settled = record?.settledSchedule;
  if (settled?.key === key) return "cancelled";
  // 4. Not newer than the pending change, or than the newest settlement: it touches nothing.
  if (pending !== undefined && event.time <= pending.time) return "stale";
  if (settled !== undefined && event.time <= settled.time) return "stale";
  // 5. Still ahead: scheduled (replacing an older pending change); else due on arrival.
  return effectiveAt > now + EFFECTIVE_NOW_TOLERANCE_MS ? "schedule" : "apply";
}

/** Whether the scheduler should put the change back on the queue, or has. */
export function isDue(change: ScheduledChange, now: number): boolean {
  return change.enqueuedAt !== undefined || change.effectiveAt <= now + EFFECTIVE_NOW_TOLERANCE_MS;
}

/** Records the change for later; an older pending change is cancelled by it (replaced). */
export function scheduleChange(
  step: EventStep & { effectiveAt: number; body: string },
): PersonRecord {
  const { event, now, policy, messageId, effectiveAt } = step;
  const record = settleSchedule(step);
  return {
    ...record,
    scheduled: { ...event, effectiveAt, body: step.body, scheduledAt: now },
    history: appendHistory(
      record.history,
      { ...event, outcome: "scheduled", effectiveAt, at: now, messageId },
      policy,
      now,
    ),
    updatedAt: now,
  };
}

/**
 * An event is about to be applied (judged `apply`). The pending change is this event falling
 * due: it becomes an ordinary event in progress (the due-changes index drops it). Older than
 * this event: cancelled by it. Newer: left alone.
 */
export function settleSchedule(step: EventStep): PersonRecord {
  const { record, event } = step;
  const pending = record.scheduled;
  if (pending === undefined) return record;
  if (eventKey(pending) === eventKey(event)) {
    const { scheduled: _due, ...rest } = record;
    return { ...rest, updatedAt: step.now };
  }
  if (event.time <= pending.time) return record;
  return cancel(record, {
    by: eventKey(event),
    time: event.time,
    now: step.now,
    policy: step.policy,
  });
}

/** `lifecycle schedule cancel`: the pending change, if any, cancelled by an operator. */
export function cancelByOperator(step: {
  record: PersonRecord;
  operator: string;
  now: number;
  policy: HistoryPolicy;
}): PersonRecord | undefined {
  const pending = step.record.scheduled;
  if (pending === undefined) return undefined;
  return cancel(step.record, {
    by: `operator:${step.operator}`,
    time: pending.time,
    now: step.now,
    policy: step.policy,
  });
}

/** The scheduler put the change back on the queue (it leaves the index's `waiting` part). */
export function markEnqueued(record: PersonRecord, now: number): PersonRecord {
  const pending = record.scheduled;
  if (pending === undefined) return record;
  return { ...record, scheduled: { ...pending, enqueuedAt: now }, updatedAt: now };
}

function cancel(
  record: PersonRecord,
  settling: { by: string; time: number; now: number; policy: HistoryPolicy },
): PersonRecord {
  const { scheduled: pending, ...rest } = record;
  if (pending === undefined) return record;
  const { effectiveAt: _at, body: _body, scheduledAt: _since, enqueuedAt: _sent, ...ref } = pending;
  const { now, policy } = settling;
  return {
    ...rest,
    settledSchedule: {
      key: eventKey(pending),
      time: Math.max(pending.time, settling.time, record.settledSchedule?.time ?? 0),
    },
    history: appendHistory(
      record.history,
      { ...ref, outcome: "cancelled", cancelledBy: settling.by, at: now },
      policy,
      now,
    ),
    updatedAt: now,
  };
}
