import { judgeArrival } from "../../../../shared/runtime/consumer/arrival-verdict.ts";
import { eventKey } from "../../../../shared/runtime/events/deduplication-id.ts";
import {
  effectiveAtMs,
  type LifecycleEvent,
  wantsEnabled,
} from "../../../../shared/runtime/events/lifecycle-event.ts";
import {
  completeApplied,
  refOf,
  startAttempt,
} from "../../../../shared/runtime/ledger/person-ledger-rules.ts";
import type { PersonRecord } from "../../../../shared/runtime/ledger/person-record.ts";
import {
  acknowledge,
  isDue,
  markEnqueued,
  scheduleChange,
  settleSchedule,
} from "../../../../shared/runtime/ledger/schedule-rules.ts";

/**
 * One person's events through the real pure rules, as the consumer and the scheduler take
 * them (record-processor.ts, enqueue-due-changes.ts), with the platform calls left out: what
 * `desiredEnabled` is after each instant is what the product applies. Times are in ticks of
 * ten seconds, well clear of the one-second "effective now" tolerance.
 */
export const TICK_MS = 10_000;
const BASE = Date.parse("2026-12-01T00:00:00Z");
const policy = { size: 1_000, retentionMs: Number.POSITIVE_INFINITY };

export const at = (tick: number): number => BASE + tick * TICK_MS;

export interface GeneratedDecision {
  id: string;
  enabled: boolean;
  /** The event's `time`, in ticks (a producer's clock may run ahead of the arrival). */
  time: number;
  /** When the product first received it, in ticks. */
  arrival: number;
  /** `data.effectiveAt`, in ticks; undefined: effective when decided. */
  effective: number | undefined;
}

export interface Delivery {
  decision: GeneratedDecision;
  /** When this copy is delivered, in ticks (a copy carries the first arrival). */
  tick: number;
}

export function eventOf(decision: GeneratedDecision): LifecycleEvent {
  return {
    specversion: "1.0",
    id: decision.id,
    source: "urn:test:hr",
    type: decision.enabled ? "user.onboarded" : "user.offboarded",
    time: new Date(at(decision.time)).toISOString(),
    subject: "p",
    data: {
      osis: { cdUserId: "p" },
      ...(decision.effective === undefined
        ? {}
        : { effectiveAt: new Date(at(decision.effective)).toISOString() }),
    },
  };
}

/** The consumer's steps for one delivered copy, from the verdict to the record it releases. */
export function consume(
  record: PersonRecord,
  event: LifecycleEvent,
  arrivedAt: number,
  now: number,
  messageId: string,
): PersonRecord {
  const verdict = judgeArrival(record, event, { now, arrivedAt, messageId });
  const ref = refOf(event, arrivedAt);
  const step = { record, event: ref, now, policy, messageId };
  const effectiveAt = effectiveAtMs(event);
  switch (verdict) {
    case "schedule":
      return scheduleChange({ ...step, effectiveAt: effectiveAt ?? now });
    case "stale":
    case "duplicate":
    case "cancelled":
      return acknowledge({ ...step, outcome: verdict });
    case "apply": {
      const started = startAttempt({ ...step, record: settleSchedule(step, effectiveAt) });
      const applied = { wantEnabled: wantsEnabled(event), effectiveAt };
      return completeApplied({ ...step, record: started, ...applied });
    }
  }
}

/**
 * Every instant from 0 to `until` ticks: the scheduler puts the due changes back (soonest
 * first, each with its first arrival) and the consumer takes them, then the copies delivered
 * at that instant, in the order given. Returns the applied state after each instant.
 */
export function simulate(
  deliveries: readonly Delivery[],
  until: number,
): { states: (boolean | undefined)[]; record: PersonRecord } {
  const byId = new Map(deliveries.map((delivery) => [delivery.decision.id, delivery.decision]));
  let record: PersonRecord = { subject: "p", history: [], updatedAt: 0 };
  const states: (boolean | undefined)[] = [];
  let message = 0;
  for (let tick = 0; tick <= until; tick += 1) {
    const now = at(tick);
    for (const listed of record.pendingChanges ?? []) {
      // As the scheduler does: re-read against the person's item before enqueueing.
      const change = record.pendingChanges?.find((pending) => pending.id === listed.id);
      if (change === undefined || change.enqueuedAt !== undefined || !isDue(change, now)) continue;
      record = markEnqueued(record, eventKey(change), now);
      const decision = byId.get(change.id);
      if (decision === undefined) throw new Error(`no decision ${change.id}`);
      record = consume(record, eventOf(decision), at(decision.arrival), now, `m${message++}`);
    }
    for (const delivery of deliveries.filter((copy) => copy.tick === tick)) {
      const { decision } = delivery;
      record = consume(record, eventOf(decision), at(decision.arrival), now, `m${message++}`);
    }
    states.push(record.desiredEnabled);
  }
  return { states, record };
}

/**
 * The rule as the issue words it, nothing more: among the decisions received by instant t and
 * effective at or before it, the state of the most recently decided (decided at: the earlier
 * of time and arrival; at the same instant an offboard wins). Undefined: none yet.
 */
export function referenceStateAt(
  decisions: readonly GeneratedDecision[],
  tick: number,
): boolean | undefined {
  const decidedAt = (decision: GeneratedDecision) => Math.min(decision.time, decision.arrival);
  const effective = decisions.filter(
    (decision) => decision.arrival <= tick && (decision.effective ?? decidedAt(decision)) <= tick,
  );
  if (effective.length === 0) return undefined;
  const latest = Math.max(...effective.map(decidedAt));
  return effective
    .filter((decision) => decidedAt(decision) === latest)
    .every((decision) => decision.enabled);
}
