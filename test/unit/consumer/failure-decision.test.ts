import { describe, expect, it } from "vitest";
import type { Failure } from "../../../shared/consumer/failure-classification.ts";
import { decideAfterFailure } from "../../../shared/consumer/failure-decision.ts";

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
});
