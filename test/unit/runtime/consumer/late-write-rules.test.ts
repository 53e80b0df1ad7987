import { describe, expect, it } from "vitest";
import {
  forgetSettled,
  giveBackHeldAttempt,
  heldUntil,
  leftInDoubt,
  markInDoubt,
} from "../../../../shared/runtime/consumer/late-write-rules.ts";
import {
  CircuitOpenError,
  RateLimitedError,
  RejectedError,
  UnavailableError,
} from "../../../../shared/runtime/errors/platform-errors.ts";
import type { PersonRecord } from "../../../../shared/runtime/ledger/person-record.ts";

const person = (): PersonRecord => ({ subject: "p", history: [], updatedAt: 0 });
const osisWrite = { platform: "osis", operation: "setActive" } as const;
const LATE_MS = 30_000;

describe("late-write rules", () => {
  it("1: no answer, or a gateway's 502/504, leaves an OSIS write in doubt; any other answer settles it", () => {
    expect(leftInDoubt(new UnavailableError("no answer within 5000 ms", osisWrite))).toBe(true);
    for (const status of [502, 504]) {
      expect(leftInDoubt(new UnavailableError("gateway", { ...osisWrite, status }))).toBe(true);
    }
    for (const status of [500, 503, 408]) {
      expect(leftInDoubt(new UnavailableError("answered", { ...osisWrite, status }))).toBe(false);
    }
    expect(leftInDoubt(new RateLimitedError("429", { ...osisWrite, status: 429 }))).toBe(false);
    expect(leftInDoubt(new RejectedError("400", { ...osisWrite, status: 400 }))).toBe(false);
    // No request was sent.
    expect(leftInDoubt(new CircuitOpenError("open", { ...osisWrite, retryAt: 1 }))).toBe(false);
    // The account platform's writes carry a version: a late one is refused.
    const account = { platform: "account-platform", operation: "setEnabled" } as const;
    expect(leftInDoubt(new UnavailableError("no answer", account))).toBe(false);
  });

  it("2 and 3: the other state waits until the doubt is over; the same state never waits", () => {
    const doubted = markInDoubt(person(), { active: false, now: 1_000, lateMs: LATE_MS });
    expect(doubted.osisInDoubt).toEqual({ active: false, since: 1_000, until: 31_000 });
    expect(heldUntil(doubted, true, 1_001)).toBe(31_000);
    expect(heldUntil(doubted, true, 30_999)).toBe(31_000);
    expect(heldUntil(doubted, true, 31_000)).toBeUndefined();
    expect(heldUntil(doubted, false, 1_001)).toBeUndefined();
    expect(heldUntil(person(), true, 1_001)).toBeUndefined();
  });

  it("4: the same state in doubt again extends the doubt; never shortens it", () => {
    const first = markInDoubt(person(), { active: false, now: 1_000, lateMs: LATE_MS });
    const again = markInDoubt(first, { active: false, now: 5_000, lateMs: LATE_MS });
    expect(again.osisInDoubt?.until).toBe(35_000);
    const shorter = markInDoubt(again, { active: false, now: 6_000, lateMs: 1_000 });
    expect(shorter.osisInDoubt?.until).toBe(35_000);
    const other = markInDoubt(again, { active: true, now: 40_000, lateMs: LATE_MS });
    expect(other.osisInDoubt).toEqual({ active: true, since: 40_000, until: 70_000 });
  });

  it("5: a doubt that is over is forgotten; one still running is kept", () => {
    const doubted = markInDoubt(person(), { active: true, now: 1_000, lateMs: LATE_MS });
    expect(forgetSettled(doubted, 30_999)).toBe(doubted);
    expect(forgetSettled(doubted, 31_000).osisInDoubt).toBeUndefined();
    expect(forgetSettled(person(), 31_000)).toEqual(person());
  });

  it("6: a hold gives back the attempt it ended, never below none", () => {
    const inProgress = {
      id: "e1",
      source: "hr",
      type: "user.offboarded" as const,
      time: 0,
      done: [],
    };
    const twice: PersonRecord = { ...person(), inProgress: { ...inProgress, attempts: 2 } };
    expect(giveBackHeldAttempt(twice).inProgress?.attempts).toBe(1);
    const none: PersonRecord = { ...person(), inProgress: { ...inProgress, attempts: 0 } };
    expect(giveBackHeldAttempt(none)).toBe(none);
    expect(giveBackHeldAttempt(person())).toEqual(person());
  });
});
