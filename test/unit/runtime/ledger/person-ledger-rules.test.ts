import { describe, expect, it } from "vitest";
import {
  appendHistory,
  completeApplied,
  completeDeadLettered,
  deadLetterSent,
  inProgressOf,
  judgeEvent,
  markDeadLetterPending,
  markTargetDone,
  startAttempt,
} from "../../../../shared/runtime/ledger/person-ledger-rules.ts";
import type {
  EventRef,
  HistoryEntry,
  PersonRecord,
} from "../../../../shared/runtime/ledger/person-record.ts";

const policy = { size: 3, retentionMs: 1_000_000 };
const ref = (id: string, time: number, source = "urn:hr"): EventRef => ({
  source,
  id,
  type: "user.offboarded",
  time,
});
const empty = (): PersonRecord => ({ subject: "p", history: [], updatedAt: 0 });

const step = (record: PersonRecord, event: EventRef, now: number, messageId = "m1") => ({
  record,
  event,
  now,
  policy,
  messageId,
});

function appliedOnce(event: EventRef): PersonRecord {
  const started = startAttempt({ record: empty(), event, now: 1, messageId: "m1" });
  return completeApplied({ ...step(started, event, 2), wantEnabled: false });
}

describe("ledger rules", () => {
  it("judges duplicates by (source, id) and stale events by time, equal times included", () => {
    const person = appliedOnce(ref("e1", 1_000));
    expect(judgeEvent(undefined, ref("e1", 1_000))).toBe("new");
    expect(judgeEvent(person, ref("e1", 1_000))).toBe("duplicate");
    expect(judgeEvent(person, ref("e1", 1_000, "urn:other"))).toBe("stale");
    expect(judgeEvent(person, ref("e0", 999))).toBe("stale");
    expect(judgeEvent(person, ref("e2", 1_000))).toBe("stale");
    expect(judgeEvent(person, ref("e2", 1_001))).toBe("new");
  });

  it("an older event that was applied before is a duplicate, not merely stale", () => {
    const first = appliedOnce(ref("e1", 1_000));
    const started = startAttempt({
      record: first,
      event: ref("e2", 2_000),
      now: 3,
      messageId: "m1",
    });
    const second = completeApplied({
      ...step(started, ref("e2", 2_000), 4, "m2"),
      wantEnabled: true,
    });
    expect(judgeEvent(second, ref("e1", 1_000))).toBe("duplicate");
  });

  it("counts attempts per event and keeps the targets done across attempts", () => {
    const event = ref("e1", 1_000);
    let person = startAttempt({ record: empty(), event, now: 1, messageId: "m1" });
    person = markTargetDone({
      record: person,
      target: "account-platform",
      resolved: { accountPlatform: { userId: "u" } },
      now: 2,
    });
    person = startAttempt({ record: person, event, now: 3, messageId: "m1" });
    expect(person.inProgress).toMatchObject({ attempts: 2, done: ["account-platform"] });
    person = startAttempt({ record: person, event: ref("e2", 2_000), now: 4, messageId: "m1" });
    expect(person.inProgress).toMatchObject({ id: "e2", attempts: 1, done: [] });
  });

  it("applied: moves the newest marker, keeps the resolved ids and drops the progress", () => {
    const event = ref("e1", 1_000);
    let person = startAttempt({ record: empty(), event, now: 1, messageId: "m1" });
    const resolved = { osis: { tenantId: "t", userId: "u" } };
    person = markTargetDone({ record: person, target: "osis", resolved, now: 2 });
    person = completeApplied({ ...step(person, event, 3), wantEnabled: false });
    expect(person.newestApplied).toMatchObject({ id: "e1", time: 1_000, appliedAt: 3 });
    expect(person.desiredEnabled).toBe(false);
    expect(person.resolved).toEqual({ osis: { tenantId: "t", userId: "u" } });
    expect(person.inProgress).toBeUndefined();
    expect(person.history[0]).toMatchObject({ id: "e1", outcome: "applied", messageId: "m1" });
  });

  it("dead-lettered: the event is not applied and its progress is dropped (a redrive starts afresh)", () => {
    const event = ref("e1", 1_000);
    const started = startAttempt({ record: empty(), event, now: 1, messageId: "m1" });
    const person = completeDeadLettered({
      ...step(started, event, 2),
      reason: "not_found",
      target: "osis",
    });
    expect(person.newestApplied).toBeUndefined();
    expect(person.inProgress).toBeUndefined();
    expect(judgeEvent(person, event)).toBe("new");
    expect(person.history[0]).toMatchObject({ outcome: "dead_lettered", reason: "not_found" });
  });

  it("after a crash around a dead letter: sent → duplicate, decided → send again, another message's → afresh", () => {
    const event = ref("e1", 1_000);
    const started = startAttempt({ record: empty(), event, now: 1, messageId: "m1" });
    const pending = { reason: "not_found" as const, attempt: 1, messageId: "m1", at: 2 };
    const decided = markDeadLetterPending({ record: started, pending, now: 2 });
    // 2. Decided for this message, the send unproven: the same letter is sent again.
    expect(deadLetterSent(decided, event, "m1")).toBe(false);
    expect(inProgressOf(decided, event, "m1")?.pendingDeadLetter).toEqual(pending);
    // 3. Decided for another message: a redrive starts afresh.
    expect(inProgressOf(decided, event, "m2")).toBeUndefined();
    expect(startAttempt({ record: decided, event, now: 3, messageId: "m2" }).inProgress).toEqual({
      ...event,
      attempts: 1,
      done: [],
    });
    // 1. Recorded as sent for this message: its redelivery is a duplicate; a redrive is not.
    const sent = completeDeadLettered({ ...step(decided, event, 3), reason: "not_found" });
    expect(deadLetterSent(sent, event, "m1")).toBe(true);
    expect(deadLetterSent(sent, event, "m2")).toBe(false);
    expect(deadLetterSent(sent, ref("e2", 1_000), "m1")).toBe(false);
  });

  it("bounds the history by size and by age", () => {
    const entry = (id: string, at: number) => ({ ...ref(id, at), outcome: "stale" as const, at });
    let history: HistoryEntry[] = [entry("old", 0)];
    history = appendHistory(history, entry("a", 2_000_000), policy, 2_000_000);
    expect(history.map((e) => e.id)).toEqual(["a"]);
    for (const id of ["b", "c", "d"]) {
      history = appendHistory(history, entry(id, 2_000_001), policy, 2_000_001);
    }
    expect(history.map((e) => e.id)).toEqual(["d", "c", "b"]);
  });
});
