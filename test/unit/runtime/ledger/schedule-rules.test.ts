import { describe, expect, it } from "vitest";
import { eventKey } from "../../../../shared/runtime/events/deduplication-id.ts";
import type { EventRef, PersonRecord } from "../../../../shared/runtime/ledger/person-record.ts";
import {
  cancelByOperator,
  markEnqueued,
  scheduleChange,
  settleSchedule,
  withoutPending,
} from "../../../../shared/runtime/ledger/schedule-rules.ts";
import {
  decisionOf,
  judgeDecision,
  timelineOf,
} from "../../../../shared/runtime/ledger/timeline-rules.ts";

const policy = { size: 10, retentionMs: 1_000_000_000 };
const HOUR = 3_600_000;
const NOW = 1_000_000;
const offboard = (id: string, time: number): EventRef => ({
  source: "urn:hr",
  id,
  type: "user.offboarded",
  time,
});
const onboard = (id: string, time: number): EventRef => ({
  ...offboard(id, time),
  type: "user.onboarded",
});
const empty = (): PersonRecord => ({ subject: "p", history: [], updatedAt: 0 });

/** The person with `event` scheduled to take effect at `effectiveAt`. */
function scheduled(event: EventRef, effectiveAt: number, record = empty()): PersonRecord {
  return scheduleChange({
    record,
    event,
    effectiveAt,
    now: NOW,
    policy,
    messageId: `m-${event.id}`,
  });
}

const judge = (
  record: PersonRecord | undefined,
  event: EventRef,
  effectiveAt: number | undefined,
  now: number,
) => judgeDecision(timelineOf(record), decisionOf(event, effectiveAt), now);
const pendingIds = (record: PersonRecord | undefined) =>
  (record?.pendingChanges ?? []).map((change) => change.id);

describe("scheduled changes: judging a new event", () => {
  it("applies an event without effectiveAt, or one already due, and schedules one still ahead", () => {
    expect(judge(empty(), offboard("e1", 10), undefined, NOW)).toBe("apply");
    expect(judge(empty(), offboard("e1", 10), NOW - 1, NOW)).toBe("apply");
    expect(judge(undefined, offboard("e1", 10), NOW + 500, NOW)).toBe("apply");
    expect(judge(empty(), offboard("e1", 10), NOW + HOUR, NOW)).toBe("schedule");
  });

  it("the pending change again is a duplicate until it is due, then it is applied", () => {
    const person = scheduled(offboard("e1", 10), NOW + HOUR);
    expect(judge(person, offboard("e1", 10), NOW + HOUR, NOW)).toBe("duplicate");
    expect(judge(person, offboard("e1", 10), NOW + HOUR, NOW + HOUR)).toBe("apply");
    // Put back by the scheduler: applied even when this clock lags the scheduler's.
    const enqueued = markEnqueued(person, eventKey(offboard("e1", 10)), NOW + HOUR);
    expect(judge(enqueued, offboard("e1", 10), NOW + HOUR, NOW)).toBe("apply");
  });

  it("a newer change effective later is scheduled beside the pending one; an older one effective later is stale", () => {
    const person = scheduled(offboard("e5", 50), NOW + HOUR);
    expect(judge(person, onboard("e6", 60), NOW + 2 * HOUR, NOW)).toBe("schedule");
    expect(judge(person, offboard("e4", 40), NOW + 2 * HOUR, NOW)).toBe("stale");
    expect(judge(person, offboard("e4", 50), NOW + 2 * HOUR, NOW)).toBe("stale");
    // An older change effective before the pending one still governs the instants up to it.
    expect(judge(person, onboard("e4", 40), NOW + HOUR / 2, NOW)).toBe("schedule");
    // Older events without effectiveAt take effect now: the pending change is still ahead.
    expect(judge(person, onboard("e4", 40), undefined, NOW)).toBe("apply");
  });

  it("a cancelled change is never applied; a due change a later due one governs over is stale", () => {
    const rescinded = settleSchedule({
      record: scheduled(offboard("e5", 50), NOW + HOUR),
      event: onboard("e7", 70),
      now: NOW,
      policy,
      messageId: "m7",
    });
    expect(judge(rescinded, offboard("e5", 50), NOW + HOUR, NOW + HOUR)).toBe("cancelled");
    expect(judge(rescinded, offboard("e8", 80), NOW + HOUR, NOW)).toBe("schedule");
    const both = scheduled(
      onboard("e6", 60),
      NOW + 2 * HOUR,
      scheduled(offboard("e5", 50), NOW + HOUR),
    );
    expect(judge(both, offboard("e5", 50), NOW + HOUR, NOW + HOUR)).toBe("apply");
    expect(judge(both, offboard("e5", 50), NOW + HOUR, NOW + 3 * HOUR)).toBe("stale");
  });
});

describe("scheduled changes: transitions", () => {
  it("scheduling records the event and effectiveAt, and says so in the history", () => {
    const person = scheduled({ ...offboard("e1", 10), arrivedAt: 8, decidedAt: 8 }, NOW + HOUR);
    expect(person.pendingChanges).toEqual([
      {
        ...offboard("e1", 10),
        arrivedAt: 8,
        decidedAt: 8,
        effectiveAt: NOW + HOUR,
        scheduledAt: NOW,
      },
    ]);
    expect(person.history[0]).toMatchObject({
      id: "e1",
      outcome: "scheduled",
      effectiveAt: NOW + HOUR,
      arrivedAt: 8,
      decidedAt: 8,
      messageId: "m-e1",
    });
  });

  it("a termination then a rehire effective later: both stay pending, soonest first", () => {
    const person = scheduled(
      onboard("rehire", 60),
      NOW + 2 * HOUR,
      scheduled(offboard("termination", 50), NOW + HOUR),
    );
    expect(pendingIds(person)).toEqual(["termination", "rehire"]);
    expect(person.history.map((entry) => entry.outcome)).toEqual(["scheduled", "scheduled"]);
  });

  it("a newer change effective at or before a pending one cancels it, which the history shows cancelled by it", () => {
    const person = scheduled(
      offboard("e6", 60),
      NOW + HOUR,
      scheduled(offboard("e5", 50), NOW + 2 * HOUR),
    );
    expect(pendingIds(person)).toEqual(["e6"]);
    expect(person.history.map((entry) => [entry.id, entry.outcome])).toEqual([
      ["e6", "scheduled"],
      ["e5", "cancelled"],
      ["e5", "scheduled"],
    ]);
    expect(person.history[1]?.cancelledBy).toBe(eventKey(offboard("e6", 60)));
    expect(person.cancelledChanges).toEqual([
      { key: eventKey(offboard("e5", 50)), by: eventKey(offboard("e6", 60)), at: NOW },
    ]);
  });

  it("a newer event applied now (rescind or revoke now) cancels the pending changes; an older one leaves them", () => {
    const pending = scheduled(offboard("e5", 50), NOW + HOUR);
    const step = { now: NOW, policy, messageId: "m" };
    const older = settleSchedule({ ...step, record: pending, event: onboard("e4", 40) });
    expect(older).toBe(pending);
    const revoked = settleSchedule({ ...step, record: pending, event: offboard("e6", 60) });
    expect(revoked.pendingChanges).toEqual([]);
    expect(revoked.history[0]).toMatchObject({
      id: "e5",
      outcome: "cancelled",
      cancelledBy: eventKey(offboard("e6", 60)),
    });
  });

  it("the pending change falling due becomes an ordinary event: no longer pending, nothing cancelled", () => {
    const pending = scheduled(
      onboard("e6", 60),
      NOW + 2 * HOUR,
      scheduled(offboard("e5", 50), NOW + HOUR),
    );
    const due = settleSchedule(
      { record: pending, event: offboard("e5", 50), now: NOW + HOUR, policy, messageId: "m" },
      NOW + HOUR,
    );
    expect(pendingIds(due)).toEqual(["e6"]);
    expect(due.cancelledChanges).toBeUndefined();
    expect(due.history).toEqual(pending.history);
    expect(withoutPending(due, eventKey(onboard("e6", 60)), NOW).pendingChanges).toEqual([]);
  });

  it("an operator cancels the one change named; with none of that key, there is nothing to cancel", () => {
    const both = scheduled(
      onboard("e6", 60),
      NOW + 2 * HOUR,
      scheduled(offboard("e5", 50), NOW + HOUR),
    );
    const named = (id: string) => eventKey(offboard(id, 0));
    expect(
      cancelByOperator({ record: both, key: named("e9"), operator: "ops", now: NOW, policy }),
    ).toBeUndefined();
    const cancelled = cancelByOperator({
      record: both,
      key: named("e6"),
      operator: "ops",
      now: NOW,
      policy,
    });
    expect(pendingIds(cancelled)).toEqual(["e5"]);
    expect(cancelled?.history[0]).toMatchObject({
      id: "e6",
      outcome: "cancelled",
      cancelledBy: "operator:ops",
    });
    expect(judge(cancelled, onboard("e6", 60), NOW + 2 * HOUR, NOW + 2 * HOUR)).toBe("cancelled");
  });
});
