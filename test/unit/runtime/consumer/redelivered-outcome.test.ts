import { describe, expect, it } from "vitest";
import { outcomeReachedBy } from "../../../../shared/runtime/consumer/redelivered-outcome.ts";
import {
  completeApplied,
  completeDeadLettered,
  recordAcknowledged,
  startAttempt,
} from "../../../../shared/runtime/ledger/person-ledger-rules.ts";
import type { EventRef, PersonRecord } from "../../../../shared/runtime/ledger/person-record.ts";
import { scheduleChange } from "../../../../shared/runtime/ledger/schedule-rules.ts";

const policy = { size: 10, retentionMs: 1_000_000 };
const EVENT: EventRef = { source: "urn:hr", id: "e1", type: "user.offboarded", time: 1_000 };
const empty = (): PersonRecord => ({ subject: "p", history: [], updatedAt: 0 });
const step = (record: PersonRecord, now: number, messageId: string, event = EVENT) => ({
  record,
  event,
  now,
  policy,
  messageId,
});

function appliedBy(messageId: string, now: number): PersonRecord {
  const started = startAttempt({ record: empty(), event: EVENT, now: now - 1, messageId });
  return completeApplied({
    ...step(started, now, messageId),
    wantEnabled: false,
    written: ["osis"],
  });
}

describe("outcomeReachedBy", () => {
  it("finds what this very message reached, at its time, with the targets it wrote (rules 1, 3)", () => {
    const person = appliedBy("m1", 2_000);
    expect(outcomeReachedBy(person, EVENT, "m1")).toEqual({
      outcome: "applied",
      at: 2_000,
      written: ["osis"],
    });
  });

  it("finds nothing for the same event in another message (rule 1)", () => {
    expect(outcomeReachedBy(appliedBy("m1", 2_000), EVENT, "m2")).toBeUndefined();
  });

  it("finds nothing for another event the message carried (rule 1)", () => {
    const other = { ...EVENT, id: "e2" };
    expect(outcomeReachedBy(appliedBy("m1", 2_000), other, "m1")).toBeUndefined();
  });

  it("passes over the duplicates recorded since, to the decision (rule 2)", () => {
    let person = appliedBy("m1", 2_000);
    for (const now of [3_000, 4_000]) {
      person = recordAcknowledged({ ...step(person, now, "m1"), outcome: "duplicate" });
    }
    expect(outcomeReachedBy(person, EVENT, "m1")).toMatchObject({ outcome: "applied", at: 2_000 });
  });

  it("finds a scheduled change, without targets", () => {
    const person = scheduleChange({ ...step(empty(), 2_000, "m1"), effectiveAt: 9_000 });
    expect(outcomeReachedBy(person, EVENT, "m1")).toEqual({ outcome: "scheduled", at: 2_000 });
  });

  it("finds a dead letter with its reason, target and letter (rules 2, 3)", () => {
    const started = startAttempt({ record: empty(), event: EVENT, now: 1_500, messageId: "m1" });
    const person = completeDeadLettered({
      ...step(started, 2_000, "m1"),
      reason: "not_found",
      target: "osis",
      dlqMessageId: "letter-1",
    });
    expect(outcomeReachedBy(person, EVENT, "m1")).toEqual({
      outcome: "dead_lettered",
      at: 2_000,
      reason: "not_found",
      target: "osis",
      dlqMessageId: "letter-1",
    });
  });

  it("leaves out a dead letter whose letter id was not kept, and a failed attempt (rule 2)", () => {
    const started = startAttempt({ record: empty(), event: EVENT, now: 1_500, messageId: "m1" });
    const person = completeDeadLettered({ ...step(started, 2_000, "m1"), reason: "not_found" });
    expect(outcomeReachedBy(person, EVENT, "m1")).toBeUndefined();
  });
});
