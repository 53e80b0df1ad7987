import { describe, expect, it } from "vitest";
import { classifyFailure } from "../../../../shared/runtime/consumer/failure-classification.ts";
import { ClaimLostError } from "../../../../shared/runtime/errors/claim-lost-error.ts";
import {
  AmbiguousUserError,
  CredentialsRefusedError,
  NotAppliedError,
  NotFoundError,
  RateLimitedError,
  RejectedError,
  UnauthorizedError,
  UnavailableError,
  UnsupportedError,
  VersionConflictError,
} from "../../../../shared/runtime/errors/platform-errors.ts";
import {
  OutsideTenantError,
  ProtectedAccountError,
} from "../../../../shared/runtime/errors/refusal-errors.ts";
import { WriteInDoubtError } from "../../../../shared/runtime/errors/write-in-doubt-error.ts";

const ap = { platform: "account-platform", operation: "op" } as const;
const osis = { platform: "osis", operation: "op" } as const;

describe("classifyFailure", () => {
  it.each([
    [new NotFoundError("x", { ...ap, status: 404 }), "not_found", "account-platform"],
    [new AmbiguousUserError("x", { ...ap, matches: 2 }), "ambiguous_user", "account-platform"],
    [new RejectedError("x", { ...osis, status: 400, code: "E_BAD_REQUEST" }), "rejected", "osis"],
    [new UnsupportedError("x", { ...osis, status: 501 }), "unsupported", "osis"],
    [new NotAppliedError("x", { ...osis, status: 200 }), "not_applied", "osis"],
    [new VersionConflictError("x", { ...ap, status: 409 }), "version_conflict", "account-platform"],
    [new OutsideTenantError("account-platform", "u"), "outside_tenant", "account-platform"],
    [new OutsideTenantError("osis", "u"), "outside_tenant", "osis"],
    [new ProtectedAccountError("osis", "u"), "protected", "osis"],
  ])("%s is permanent: %s", (error, reason, target) => {
    expect(classifyFailure(error)).toMatchObject({ kind: "permanent", reason, target });
  });

  it.each([
    new UnavailableError("x", { ...ap, status: 503 }),
    new RateLimitedError("x", { ...osis, status: 429, retryAfterMs: 2_000 }),
    new UnauthorizedError("x", { ...ap, status: 401 }),
    new CredentialsRefusedError("x", { ...ap, status: 400 }),
    new ClaimLostError("p"),
    new Error("something unforeseen"),
  ])("%s is transient", (error) => {
    expect(classifyFailure(error).kind).toBe("transient");
  });

  it("carries Retry-After through", () => {
    expect(
      classifyFailure(new RateLimitedError("x", { ...osis, status: 429, retryAfterMs: 2_000 })),
    ).toMatchObject({ kind: "transient", retryAfterMs: 2_000, status: 429, target: "osis" });
  });

  it("an OSIS target held for a write in doubt waits, counted, until the doubt is over", () => {
    expect(classifyFailure(new WriteInDoubtError(31_000, 1_000))).toMatchObject({
      kind: "transient",
      retryAfterMs: 30_000,
      target: "osis",
    });
  });
});
