import { describe, expect, it } from "vitest";
import { eventKey } from "../../../shared/events/deduplication-id.ts";
import type { EventRef, PersonRecord } from "../../../shared/ledger/person-record.ts";
import {
  cancelByOperator,
  judgeSchedule,
  markEnqueued,
  scheduleChange,
  settleSchedule,
} from "../../../shared/ledger/schedule-rules.ts";

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
    body: JSON.stringify({ id: event.id }),
    now: NOW,
    policy,
    messageId: `m-${event.id}`,
  });
}

describe("scheduled changes: judging a new event", () => {
  it("applies an event without effectiveAt, or one already due, and schedules one still ahead", () => {
    expect(judgeSchedule(empty(), offboard("e1", 10), undefined, NOW)).toBe("apply");
    expect(judgeSchedule(empty(), offboard("e1", 10), NOW - 1, NOW)).toBe("apply");
    expect(judgeSchedule(undefined, offboard("e1", 10), NOW + 500, NOW)).toBe("apply");
    expect(judgeSchedule(empty(), offboard("e1", 10), NOW + HOUR, NOW)).toBe("schedule");
  });

  it("the pending change again is a duplicate until it is due, then it is applied", () => {
    const person = scheduled(offboard("e1", 10), NOW + HOUR);
    expect(judgeSchedule(person, offboard("e1", 10), NOW + HOUR, NOW)).toBe("duplicate");
    expect(judgeSchedule(person, offboard("e1", 10), NOW + HOUR, NOW + HOUR)).toBe("apply");
    // Put back by the scheduler: applied even when this clock lags the scheduler's.
    const enqueued = markEnqueued(person, NOW + HOUR);
    expect(judgeSchedule(enqueued, offboard("e1", 10), NOW + HOUR, NOW)).toBe("apply");
  });

  it("a newer scheduled event replaces the pending one; an older one is stale", () => {
    const person = scheduled(offboard("e5", 50), NOW + HOUR);
    expect(judgeSchedule(person, offboard("e6", 60), NOW + 2 * HOUR, NOW)).toBe("schedule");
    expect(judgeSchedule(person, offboard("e4", 40), NOW + 2 * HOUR, NOW)).toBe("stale");
    expect(judgeSchedule(person, offboard("e4", 50), NOW + 2 * HOUR, NOW)).toBe("stale");
    // Older events without effectiveAt take effect as the ledger rules say, untouched here.
    expect(judgeSchedule(person, onboard("e4", 40), undefined, NOW)).toBe("apply");
  });

  it("a settled change is never applied, and nothing older than its settlement is scheduled", () => {
    const rescinded = settleSchedule({
      record: scheduled(offboard("e5", 50), NOW + HOUR),
      event: onboard("e7", 70),
      now: NOW,
      policy,
      messageId: "m7",
    });
    expect(judgeSchedule(rescinded, offboard("e5", 50), NOW + HOUR, NOW + HOUR)).toBe("cancelled");
    expect(judgeSchedule(rescinded, offboard("e6", 60), NOW + HOUR, NOW)).toBe("stale");
    expect(judgeSchedule(rescinded, offboard("e8", 80), NOW + HOUR, NOW)).toBe("schedule");
  });
});

describe("scheduled changes: transitions", () => {
  it("scheduling records the event, its body and effectiveAt, and says so in the history", () => {
    const person = scheduled(offboard("e1", 10), NOW + HOUR);
    expect(person.scheduled).toEqual({
      ...offboard("e1", 10),
      effectiveAt: NOW + HOUR,
      body: '{"id":"e1"}',
      scheduledAt: NOW,
    });
    expect(person.history[0]).toMatchObject({
      id: "e1",
      outcome: "scheduled",
      effectiveAt: NOW + HOUR,
      messageId: "m-e1",
    });
  });

  it("a newer scheduled event replaces the older one, which the history shows cancelled by it", () => {
    const person = scheduled(
      offboard("e6", 60),
      NOW + 2 * HOUR,
      scheduled(offboard("e5", 50), NOW + HOUR),
    );
    expect(person.scheduled).toMatchObject({ id: "e6", effectiveAt: NOW + 2 * HOUR });
    expect(person.history.map((entry) => [entry.id, entry.outcome])).toEqual([
      ["e6", "scheduled"],
      ["e5", "cancelled"],
      ["e5", "scheduled"],
    ]);
    expect(person.history[1]?.cancelledBy).toBe(eventKey(offboard("e6", 60)));
    expect(person.settledSchedule).toEqual({ key: eventKey(offboard("e5", 50)), time: 60 });
  });

  it("a newer event applied now (rescind or revoke now) cancels the pending change; an older one leaves it", () => {
    const pending = scheduled(offboard("e5", 50), NOW + HOUR);
    const step = { now: NOW, policy, messageId: "m" };
    const older = settleSchedule({ ...step, record: pending, event: onboard("e4", 40) });
    expect(older).toBe(pending);
    const revoked = settleSchedule({ ...step, record: pending, event: offboard("e6", 60) });
    expect(revoked.scheduled).toBeUndefined();
    expect(revoked.history[0]).toMatchObject({
      id: "e5",
      outcome: "cancelled",
      cancelledBy: eventKey(offboard("e6", 60)),
    });
  });

  it("the pending change falling due becomes an ordinary event: no longer scheduled, nothing cancelled", () => {
    const pending = scheduled(offboard("e5", 50), NOW + HOUR);
    const due = settleSchedule({
      record: pending,
      event: offboard("e5", 50),
      now: NOW + HOUR,
      policy,
      messageId: "m",
    });
    expect(due.scheduled).toBeUndefined();
    expect(due.settledSchedule).toBeUndefined();
    expect(due.history).toEqual(pending.history);
  });

  it("an operator cancels the pending change; with none, there is nothing to cancel", () => {
    expect(
      cancelByOperator({ record: empty(), operator: "ops", now: NOW, policy }),
    ).toBeUndefined();
    const cancelled = cancelByOperator({
      record: scheduled(offboard("e5", 50), NOW + HOUR),
      operator: "ops",
      now: NOW,
      policy,
    });
    expect(cancelled?.scheduled).toBeUndefined();
    expect(cancelled?.history[0]).toMatchObject({
      outcome: "cancelled",
      cancelledBy: "operator:ops",
    });
    expect(judgeSchedule(cancelled, offboard("e5", 50), NOW + HOUR, NOW + HOUR)).toBe("cancelled");
  });
});
