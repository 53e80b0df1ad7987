import { describe, expect, it } from "vitest";
import type { RecordOutcome } from "../../../../shared/runtime/consumer/outcome.ts";
import { publishedFacts } from "../../../../shared/runtime/consumer/published-outcome.ts";

const NOW = Date.parse("2026-12-07T10:00:00.000Z");
const EVENT = {
  id: "e-1",
  source: "urn:hr:workday",
  subject: "emp-42",
  type: "user.offboarded",
  time: "2026-12-07T09:59:58Z",
  targets: ["account-platform" as const],
};

function record(overrides: Partial<RecordOutcome>): RecordOutcome {
  return { outcome: "applied", messageId: "m-1", event: EVENT, attempts: 1, ...overrides };
}

describe("publishedFacts", () => {
  it("publishes the decisions, and nothing for a duplicate or a record that comes back", () => {
    const kinds = ["applied", "scheduled", "cancelled", "stale", "dead_lettered"] as const;
    for (const outcome of kinds) {
      expect(publishedFacts(record({ outcome }), NOW)?.outcome).toBe(outcome);
    }
    for (const outcome of ["duplicate", "retried", "untried"] as const) {
      expect(publishedFacts(record({ outcome }), NOW)).toBeUndefined();
    }
  });

  it("publishes for a duplicate what its own message reached before, as it was reached", () => {
    const at = NOW - 5_000;
    const facts = publishedFacts(
      record({
        outcome: "duplicate",
        attempts: undefined,
        written: undefined,
        at: NOW,
        reached: { outcome: "applied", at, written: ["account-platform"] },
      }),
      NOW,
    );
    expect(facts).toMatchObject({ outcome: "applied", at, written: ["account-platform"] });
    const scheduled = publishedFacts(
      record({ outcome: "duplicate", reached: { outcome: "scheduled", at } }),
      NOW,
    );
    expect(scheduled).toMatchObject({ outcome: "scheduled", at, written: undefined });
  });

  it("publishes a dry-run letter as dry_run, not dead_lettered", () => {
    const facts = publishedFacts(
      record({ outcome: "dead_lettered", reason: "dry_run", dlqMessageId: "d-1", dryRun: true }),
      NOW,
    );
    expect(facts).toMatchObject({ outcome: "dry_run", reason: "dry_run", dlqMessageId: "d-1" });
    expect(facts?.failure).toBeUndefined();
  });

  it("gives a dead letter its failure and letter, and the event its own fields", () => {
    const facts = publishedFacts(
      record({
        outcome: "dead_lettered",
        reason: "not_found",
        target: "account-platform",
        status: 404,
        detail: "no such login",
        dlqMessageId: "d-2",
        at: NOW - 5,
      }),
      NOW,
    );
    expect(facts).toMatchObject({
      at: NOW - 5,
      event: { id: "e-1", source: "urn:hr:workday", time: "2026-12-07T09:59:58Z" },
      named: ["account-platform"],
      failure: {
        reason: "not_found",
        target: "account-platform",
        status: 404,
        detail: "no such login",
      },
      dlqMessageId: "d-2",
    });
    expect(facts?.event).not.toHaveProperty("targets");
  });

  it("names an unreadable body by what it showed", () => {
    const facts = publishedFacts(
      record({ outcome: "dead_lettered", reason: "invalid_event", event: undefined, eventId: "x" }),
      NOW,
    );
    expect(facts).toMatchObject({ event: { id: "x" }, named: [] });
  });
});
