import { describe, expect, it } from "vitest";
import { OUTCOME_KINDS } from "../../../../schemas/lifecycle-change-outcome.ts";
import {
  type OutcomeFacts,
  outcomeDetail,
} from "../../../../shared/runtime/outcomes/outcome-detail.ts";
import { expectOutcomeSchema } from "../../../support/outcome-schema.ts";

const AT = Date.parse("2026-12-07T10:00:00.000Z");
const EVENT = {
  id: "7d0c5e7e-51c4-4a8e-a4ad-0d8e5d6f0b1a",
  source: "urn:hr:workday",
  subject: "emp-42",
  type: "user.offboarded",
  time: "2026-12-07T09:59:58Z",
};

function facts(overrides: Partial<OutcomeFacts> = {}): OutcomeFacts {
  return {
    outcome: "applied",
    at: AT,
    attempt: 1,
    event: EVENT,
    named: ["account-platform", "osis"],
    written: ["osis"],
    ...overrides,
  };
}

describe("outcomeDetail", () => {
  it.each(OUTCOME_KINDS)("builds a %s detail the schema allows", (outcome) => {
    const letter = ["dead_lettered", "dry_run", "redriven", "discarded"].includes(outcome);
    const detail = outcomeDetail(
      facts({
        outcome,
        ...(letter ? { reason: "not_found", dlqMessageId: "dlq-1" } : {}),
        ...(outcome === "dead_lettered"
          ? { failure: { reason: "not_found", target: "account-platform", status: 404 } }
          : {}),
      }),
    );
    expectOutcomeSchema(detail);
    expect(detail).toMatchObject({ outcome, at: "2026-12-07T10:00:00.000Z", event: EVENT });
  });

  it("says per target what the outcome did (rules 2 and 3)", () => {
    expect(outcomeDetail(facts()).targets).toEqual([
      { target: "account-platform", result: "already" },
      { target: "osis", result: "changed" },
    ]);
    const letter = outcomeDetail(
      facts({
        outcome: "dead_lettered",
        failure: { reason: "version_conflict", target: "account-platform", status: 409 },
        dlqMessageId: "dlq-1",
      }),
    );
    expect(letter.targets).toEqual([
      { target: "account-platform", result: "failed", status: 409 },
      { target: "osis", result: "skipped" },
    ]);
    expect(outcomeDetail(facts({ outcome: "stale" })).targets.map((t) => t.result)).toEqual([
      "skipped",
      "skipped",
    ]);
  });

  it("passes a target's further facts through, never over what the outcome says (rule 4)", () => {
    const detail = outcomeDetail(
      facts({
        targetFacts: {
          osis: { s3Keys: { deactivated: ["AKEXAMPLE"] }, result: "failed", target: "x" },
        },
      }),
    );
    expect(detail.targets[1]).toEqual({
      s3Keys: { deactivated: ["AKEXAMPLE"] },
      target: "osis",
      result: "changed",
    });
    expectOutcomeSchema(detail);
  });

  it("gives one outcome one id, and different outcomes different ids (rule 1)", () => {
    const id = (overrides: Partial<OutcomeFacts>) => outcomeDetail(facts(overrides)).outcomeId;
    expect(id({})).toBe(id({ at: AT + 60_000, written: [] }));
    const others = [
      id({ outcome: "stale" }),
      id({ event: { ...EVENT, id: "other" } }),
      id({ event: { ...EVENT, source: "urn:hr:other" } }),
      id({ outcome: "dead_lettered", dlqMessageId: "dlq-1" }),
      id({ outcome: "dead_lettered", dlqMessageId: "dlq-2" }),
    ];
    expect(new Set([id({}), ...others]).size).toBe(others.length + 1);
  });

  it("gives an outcome an event reaches once the same id whatever the attempt, and a letter its own (rule 1)", () => {
    const id = (overrides: Partial<OutcomeFacts>) => outcomeDetail(facts(overrides)).outcomeId;
    for (const outcome of ["applied", "scheduled", "cancelled", "stale"] as const) {
      expect(id({ outcome, attempt: 3 })).toBe(id({ outcome, attempt: undefined }));
    }
    const letter = { outcome: "dead_lettered", dlqMessageId: "dlq-1" } as const;
    expect(id({ ...letter, attempt: 3 })).toBe(id({ ...letter, attempt: 1 }));
    const unknownLetter = { outcome: "dead_lettered", dlqMessageId: undefined } as const;
    expect(id({ ...unknownLetter, attempt: 3 })).not.toBe(id({ ...unknownLetter, attempt: 1 }));
  });

  it("leaves out what is not known", () => {
    const detail = outcomeDetail(
      facts({ outcome: "dead_lettered", attempt: undefined, event: { id: "x" }, named: [] }),
    );
    expect(detail).toEqual({
      outcomeId: expect.stringMatching(/^[0-9a-f]{32}$/),
      outcome: "dead_lettered",
      at: "2026-12-07T10:00:00.000Z",
      event: { id: "x" },
      targets: [],
    });
  });
});
