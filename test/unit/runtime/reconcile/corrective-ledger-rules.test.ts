import { describe, expect, it } from "vitest";
import { eventKey } from "../../../../shared/runtime/events/deduplication-id.ts";
import { CORRECTS_ATTRIBUTE } from "../../../../shared/runtime/events/source-ownership.ts";
import { parseLifecycleEvent } from "../../../../shared/runtime/events/validation.ts";
import {
  completeApplied,
  judgeEvent,
} from "../../../../shared/runtime/ledger/person-ledger-rules.ts";
import type { EventRef, PersonRecord } from "../../../../shared/runtime/ledger/person-record.ts";
import {
  buildCorrectiveEvent,
  correctedEventKey,
} from "../../../../shared/runtime/reconcile/corrective-event.ts";

const POLICY = { size: 20, retentionMs: 90 * 86_400_000 };
const T0 = Date.parse("2026-11-23T09:00:00Z");

const offboarded: EventRef = { source: "urn:hr", id: "off-1", type: "user.offboarded", time: T0 };

const person: PersonRecord = {
  subject: "emp-1",
  newestApplied: { ...offboarded, appliedAt: T0 + 1_000 },
  desiredEnabled: false,
  resolved: {
    accountPlatform: { userId: "7d0c5e7e-51c4-4a8e-a4ad-0d8e5d6f0b1a" },
    osis: { tenantId: "t-1", userId: "u-1" },
  },
  history: [],
  updatedAt: T0 + 1_000,
};

/** A corrective event's ref: its own id and time (reconciliation's clock), the same type. */
const corrective = (time: number, type: EventRef["type"] = "user.offboarded"): EventRef => ({
  source: "urn:lifecycle:reconcile",
  id: `fix-${time}`,
  type,
  time,
});

describe("ledger rules for corrective events", () => {
  const corrects = eventKey(offboarded);

  it("applies a corrective event while the event it names is the newest applied", () => {
    expect(judgeEvent(person, corrective(T0 + 60_000), corrects)).toBe("new");
  });

  it("is never stale by its own time (even one older than the newest applied)", () => {
    expect(judgeEvent(person, corrective(T0 - 60_000), corrects)).toBe("new");
  });

  it("is stale once another event became the newest applied, or when it asks something else", () => {
    const rehired: PersonRecord = {
      ...person,
      newestApplied: {
        source: "urn:hr",
        id: "on-2",
        type: "user.onboarded",
        time: T0 + 5_000,
        appliedAt: T0 + 6_000,
      },
      desiredEnabled: true,
    };
    expect(judgeEvent(rehired, corrective(T0 + 60_000), corrects)).toBe("stale");
    expect(judgeEvent(person, corrective(T0 + 60_000, "user.onboarded"), corrects)).toBe("stale");
    expect(judgeEvent(undefined, corrective(T0 + 60_000), corrects)).toBe("stale");
  });

  it("keeps the newest-applied marker and desired state, and records `corrected`", () => {
    const fix = corrective(T0 + 60_000);
    const after = completeApplied({
      record: person,
      event: fix,
      wantEnabled: false,
      now: T0 + 61_000,
      policy: POLICY,
      messageId: "m-1",
      corrects,
    });
    expect(after.newestApplied).toEqual(person.newestApplied);
    expect(after.desiredEnabled).toBe(false);
    expect(after.history[0]).toMatchObject({ id: fix.id, outcome: "corrected", messageId: "m-1" });
    // So a genuine event older than the correction but newer than the offboard still applies.
    const rehire: EventRef = {
      ...offboarded,
      id: "on-3",
      type: "user.onboarded",
      time: T0 + 30_000,
    };
    expect(judgeEvent(after, rehire)).toBe("new");
    // And the correction never counts as applied for duplicate detection.
    expect(judgeEvent(after, fix)).toBe("new");
  });

  it("leaves ordinary events' rules as they were", () => {
    const newer: EventRef = { ...offboarded, id: "on-4", type: "user.onboarded", time: T0 + 1 };
    const after = completeApplied({
      record: person,
      event: newer,
      wantEnabled: true,
      now: T0 + 2_000,
      policy: POLICY,
      messageId: "m-2",
    });
    expect(after.newestApplied).toMatchObject({ id: "on-4" });
    expect(after.desiredEnabled).toBe(true);
    expect(after.history[0]?.outcome).toBe("applied");
    expect(judgeEvent(person, { ...offboarded, id: "older", time: T0 })).toBe("stale");
  });
});

describe("corrective event", () => {
  it("is a valid lifecycle event re-asserting the newest applied event, naming it at the top level", () => {
    const event = buildCorrectiveEvent(person, T0 + 60_000, "fix-1");
    expect(event).toBeDefined();
    const parsed = parseLifecycleEvent(JSON.stringify(event));
    if (!parsed.ok) throw new Error("the corrective event should validate");
    expect(parsed.event).toMatchObject({
      id: "fix-1",
      type: "user.offboarded",
      subject: "emp-1",
      time: "2026-11-23T09:01:00.000Z",
      [CORRECTS_ATTRIBUTE]: eventKey(offboarded),
      data: {
        accountPlatform: { userId: "7d0c5e7e-51c4-4a8e-a4ad-0d8e5d6f0b1a" },
        osis: { tenantId: "t-1", userId: "u-1" },
      },
    });
    expect(correctedEventKey(parsed.event)).toBe(eventKey(offboarded));
  });

  it("is not built without an applied event or a resolved id", () => {
    expect(buildCorrectiveEvent({ ...person, newestApplied: undefined }, T0)).toBeUndefined();
    expect(buildCorrectiveEvent({ ...person, resolved: {} }, T0)).toBeUndefined();
  });
});
