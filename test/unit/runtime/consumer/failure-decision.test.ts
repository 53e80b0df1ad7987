import { describe, expect, it } from "vitest";
import {
  classifyFailure,
  type Failure,
} from "../../../../shared/runtime/consumer/failure-classification.ts";
import { decideAfterFailure } from "../../../../shared/runtime/consumer/failure-decision.ts";
import { LedgerUnavailableError } from "../../../../shared/runtime/errors/ledger-unavailable-error.ts";

const transient: Failure = { kind: "transient", detail: "503", retryAfterMs: 2_000 };
const permanent: Failure = { kind: "permanent", reason: "not_found", detail: "404" };

describe("decideAfterFailure", () => {
  it("retries whatever failed when the ledger counted no attempt", () => {
    expect(decideAfterFailure(permanent, undefined, 5)).toEqual({ action: "retry" });
    expect(decideAfterFailure(transient, undefined, 5)).toEqual({
      action: "retry",
      retryAfterMs: 2_000,
    });
  });

  it("dead-letters a permanent failure at once, with its reason", () => {
    expect(decideAfterFailure(permanent, 1, 5)).toEqual({
      action: "dead_letter",
      reason: "not_found",
    });
  });

  it("retries a transient failure below the limit and dead-letters it at the limit", () => {
    expect(decideAfterFailure(transient, 4, 5)).toEqual({ action: "retry", retryAfterMs: 2_000 });
    expect(decideAfterFailure(transient, 5, 5)).toEqual({
      action: "dead_letter",
      reason: "retries_exhausted",
    });
  });

  it("waits for the ledger without counting attempts, and dead-letters only past the patience", () => {
    const ledger = classifyFailure(
      new LedgerUnavailableError({
        operation: "UpdateItem",
        code: "ThrottlingException",
        status: 400,
        cause: undefined,
      }),
    );
    expect(ledger).toMatchObject({ kind: "waiting", reason: "ledger_unavailable" });
    const patience = (queuedForMs: number) => ({ patienceMs: 60_000, queuedForMs });
    expect(decideAfterFailure(ledger, undefined, 5, patience(59_999))).toEqual({ action: "wait" });
    expect(decideAfterFailure(ledger, 9, 5, patience(59_999))).toEqual({ action: "wait" });
    expect(decideAfterFailure(ledger, undefined, 5, patience(60_000))).toEqual({
      action: "dead_letter",
      reason: "ledger_unavailable",
    });
  });
});
