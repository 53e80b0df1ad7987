import { describe, expect, it } from "vitest";
import { judgeArrival, supersededBy } from "../../../../shared/runtime/consumer/arrival-verdict.ts";
import { eventKey } from "../../../../shared/runtime/events/deduplication-id.ts";
import type { LifecycleEvent } from "../../../../shared/runtime/events/lifecycle-event.ts";
import { refOf } from "../../../../shared/runtime/ledger/person-ledger-rules.ts";
import type { EventRef, PersonRecord } from "../../../../shared/runtime/ledger/person-record.ts";
import { offboard as offboardEvent } from "../../../support/lifecycle-events.ts";

const NOW = Date.parse("2026-11-20T12:00:00Z");
const at = { now: NOW, arrivedAt: NOW };

const offboard: LifecycleEvent = offboardEvent(
  "emp-1",
  { osis: { cdUserId: "emp-1" } },
  { id: "evt-1", source: "urn:hr", time: "2026-11-20T10:00:00Z" },
);

function applied(
  id: string,
  time: string,
  type: EventRef["type"] = "user.onboarded",
): EventRef & { appliedAt: number } {
  return { source: "urn:hr", id, type, time: Date.parse(time), appliedAt: Date.parse(time) };
}

function person(fields: Partial<PersonRecord> = {}): PersonRecord {
  return { subject: "emp-1", history: [], updatedAt: 0, ...fields };
}

describe("judgeArrival: the one verdict on an arriving event", () => {
  it("applies an event nothing newer governs", () => {
    expect(judgeArrival(undefined, offboard, at)).toBe("apply");
    const older = person({ newestApplied: applied("old", "2026-11-19T00:00:00Z") });
    expect(judgeArrival(older, offboard, at)).toBe("apply");
  });

  it("calls it stale when a newer applied event governs every instant it would", () => {
    const newer = person({ newestApplied: applied("rehire", "2026-11-20T11:00:00Z") });
    expect(judgeArrival(newer, offboard, at)).toBe("stale");
    expect(supersededBy(newer, refOf(offboard, NOW)).newestApplied?.id).toBe("rehire");
  });

  it("calls the applied event again a duplicate, and this very message once dead-lettered", () => {
    const same = person({ newestApplied: applied("evt-1", offboard.time, offboard.type) });
    expect(judgeArrival(same, offboard, at)).toBe("duplicate");
    const lettered = person({
      history: [
        {
          source: "urn:hr",
          id: "evt-1",
          type: offboard.type,
          time: Date.parse(offboard.time),
          outcome: "dead_lettered",
          messageId: "m-1",
          at: NOW - 1_000,
        },
      ],
    });
    expect(judgeArrival(lettered, offboard, { ...at, messageId: "m-1" })).toBe("duplicate");
    expect(judgeArrival(lettered, offboard, { ...at, messageId: "m-2" })).toBe("apply");
  });

  it("schedules a change effective later, and calls it cancelled once cancelled", () => {
    const later = { ...offboard, data: { ...offboard.data, effectiveAt: "2026-12-01T00:00:00Z" } };
    expect(judgeArrival(undefined, later, at)).toBe("schedule");
    const cancelled = person({
      cancelledChanges: [{ key: eventKey(offboard), by: "operator:ops", at: NOW - 1_000 }],
    });
    expect(judgeArrival(cancelled, later, at)).toBe("cancelled");
  });

  it("judges a corrective event only by whether what it re-asserts is still the newest", () => {
    const newest = person({ newestApplied: applied("applied-1", "2026-11-21T00:00:00Z") });
    const corrective = (correctsId: string): LifecycleEvent => ({
      ...offboard,
      id: "fix-1",
      source: "urn:lifecycle:reconcile",
      type: "user.onboarded",
      time: "2026-11-22T00:00:00Z",
      lifecyclecorrects: eventKey({ source: "urn:hr", id: correctsId }),
    });
    expect(judgeArrival(newest, corrective("applied-1"), at)).toBe("apply");
    expect(judgeArrival(newest, corrective("applied-0"), at)).toBe("stale");
  });
});
