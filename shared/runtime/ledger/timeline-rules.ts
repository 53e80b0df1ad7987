import { eventKey } from "../events/deduplication-id.ts";
import type { EventRef, PersonRecord } from "./person-record.ts";

/**
 * THE timeline rule (docs/consumer.md#the-timeline-rule), one person's wanted state over time,
 * as plain functions. Every event is a decision: decided at one instant, effective from
 * another, deciding one state (enabled or disabled). The consumer, the scheduler, dry run,
 * `lifecycle plan`, the redrive stale check and reconciliation all judge by these functions:
 *
 * 1. A decision is decided at the earlier of its `time` and its arrival (when the product first
 *    received it): a producer whose clock runs ahead cannot make its events newer than a later
 *    genuine one, and a forged arrival can only make an event older.
 * 2. A decision is effective from its `data.effectiveAt`, or from when it was decided.
 * 3. Order: the later decided outranks; at the same instant an offboard outranks an onboard
 *    (a leaver's access goes); otherwise neither outranks, and the one known first holds.
 * 4. The wanted state at instant t is that of the highest-ranked decision among those effective
 *    at or before t.
 * 5. So a decision governs the instants from its effective time until the earliest effective
 *    time of a known decision it does not outrank; one that governs no instant from now on is
 *    stale, one still ahead is scheduled, one that governs now is applied.
 * 6. A decision cancels every pending change it outranks that takes effect at or after it
 *    (those would govern nothing any more), and leaves earlier ones in place.
 */

/** A change is applied on arrival when it takes effect no later than now plus this. */
export const EFFECTIVE_NOW_TOLERANCE_MS = 1_000;

export interface Decision {
  /** The event key (source, id). */
  key: string;
  /** The state it decides: enabled / active (an onboard) or disabled / inactive. */
  enabled: boolean;
  decidedAt: number;
  effectiveAt: number;
}

/** Rule 1: epoch ms; an unknown arrival leaves `time`. */
export function decidedAtOf(time: number, arrivedAt: number | undefined): number {
  return arrivedAt === undefined ? time : Math.min(time, arrivedAt);
}

/** Rules 1 and 2: an event as a decision (`effectiveAt`: its `data.effectiveAt`, epoch ms). */
export function decisionOf(event: EventRef, effectiveAt?: number): Decision {
  const decidedAt = event.decidedAt ?? decidedAtOf(event.time, event.arrivedAt);
  return {
    key: eventKey(event),
    enabled: event.type === "user.onboarded",
    decidedAt,
    effectiveAt: effectiveAt ?? decidedAt,
  };
}

/** Rule 3. */
export function outranks(a: Decision, b: Decision): boolean {
  if (a.decidedAt !== b.decidedAt) return a.decidedAt > b.decidedAt;
  return !a.enabled && b.enabled;
}

/** Rule 4: the decision that governs instant `t`; on a tie, the first in `decisions`. */
export function governingAt(decisions: readonly Decision[], t: number): Decision | undefined {
  let governing: Decision | undefined;
  for (const decision of decisions) {
    if (decision.effectiveAt > t) continue;
    if (governing === undefined || outranks(decision, governing)) governing = decision;
  }
  return governing;
}

/** Rule 5: the end of the instants `decision` would govern among `known` ones (exclusive). */
export function governedUntil(decision: Decision, known: readonly Decision[]): number {
  let until = Number.POSITIVE_INFINITY;
  for (const other of known) {
    if (other.key === decision.key || outranks(decision, other)) continue;
    until = Math.min(until, other.effectiveAt);
  }
  return until;
}

/** Rule 6: the pending changes `decision` cancels. */
export function cancelledBy<T extends Decision>(decision: Decision, pending: readonly T[]): T[] {
  return pending.filter(
    (change) =>
      change.key !== decision.key &&
      outranks(decision, change) &&
      change.effectiveAt >= decision.effectiveAt,
  );
}

/** What the ledger knows of a person's timeline. */
export interface Timeline {
  /** The decision applied last: effective already, so it covers every instant from now. */
  applied: Decision | undefined;
  /** Changes waiting for their effective time (`enqueued`: the scheduler sent it back). */
  pending: readonly (Decision & { enqueued: boolean })[];
  /** Keys of changes cancelled (by a newer decision or an operator): never applied. */
  cancelled: readonly string[];
}

export function timelineOf(record: PersonRecord | undefined): Timeline {
  const newest = record?.newestApplied;
  const applied = newest === undefined ? undefined : decisionOf(newest, newest.effectiveAt);
  return {
    // Applied means effective: never later than when it was applied.
    applied:
      applied && newest
        ? { ...applied, effectiveAt: Math.min(applied.effectiveAt, newest.appliedAt) }
        : undefined,
    pending: (record?.pendingChanges ?? []).map((change) => ({
      ...decisionOf(change, change.effectiveAt),
      enqueued: change.enqueuedAt !== undefined,
    })),
    cancelled: (record?.cancelledChanges ?? []).map((change) => change.key),
  };
}

/**
 * - `apply`: it governs now: take effect through the normal path.
 * - `schedule`: it governs instants still ahead: recorded as a pending change; acknowledged.
 * - `duplicate`: the pending change again, before it is due.
 * - `stale`: it governs no instant from now on; acknowledged.
 * - `cancelled`: a change that was cancelled; acknowledged, never applied.
 */
export type TimelineVerdict = "apply" | "schedule" | "duplicate" | "stale" | "cancelled";

/**
 * The verdict on a decision that is not an applied event again (the ledger rules judged
 * duplicates of applied events first, person-ledger-rules.ts).
 */
export function judgeDecision(
  timeline: Timeline,
  decision: Decision,
  now: number,
): TimelineVerdict {
  if (timeline.cancelled.includes(decision.key)) return "cancelled";
  const pending = timeline.pending.find((change) => change.key === decision.key);
  // Once the scheduler has sent it back, it is due whatever this clock says.
  const due =
    pending?.enqueued === true || decision.effectiveAt <= now + EFFECTIVE_NOW_TOLERANCE_MS;
  if (pending !== undefined && !due) return "duplicate";
  const known = timeline.applied ? [timeline.applied, ...timeline.pending] : timeline.pending;
  if (governedUntil(decision, known) <= Math.max(now, decision.effectiveAt)) return "stale";
  return due ? "apply" : "schedule";
}

/**
 * What reconciliation compares the platforms with: the state the timeline wants now and, if a
 * pending change will make another, that one (a platform already there is ahead, not drifted).
 * `due`: a pending change governs now but is not applied yet (the scheduler is on its way).
 */
export function wantedNow(
  timeline: Timeline,
  now: number,
): { wanted: boolean | undefined; ahead: boolean | undefined; due: boolean } {
  const known = timeline.applied ? [timeline.applied, ...timeline.pending] : timeline.pending;
  const governing = governingAt(known, now);
  const next = timeline.pending
    .filter((change) => change.effectiveAt > now)
    .sort((a, b) => a.effectiveAt - b.effectiveAt)[0];
  return {
    wanted: governing?.enabled,
    ahead: next === undefined ? undefined : governingAt(known, next.effectiveAt)?.enabled,
    due: governing !== undefined && governing !== timeline.applied,
  };
}
