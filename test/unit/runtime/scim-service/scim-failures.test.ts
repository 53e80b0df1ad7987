import { describe, expect, it } from "vitest";
import { EnqueueFailedError } from "../../../../shared/runtime/errors/enqueue-failed-error.ts";
import { LedgerUnavailableError } from "../../../../shared/runtime/errors/ledger-unavailable-error.ts";
import {
  RateLimitedError,
  UnavailableError,
} from "../../../../shared/runtime/errors/platform-errors.ts";
import {
  OutsideTenantError,
  ProtectedAccountError,
} from "../../../../shared/runtime/errors/refusal-errors.ts";
import { ScimRequestError } from "../../../../shared/runtime/errors/scim-request-error.ts";
import { scimFailureOf } from "../../../../shared/runtime/scim-service/scim-failures.ts";

const where = { platform: "account-platform", operation: "getUser" } as const;

describe("scimFailureOf: how each failure is answered", () => {
  it("answers a refused request with its own status, scimType and detail", () => {
    expect(scimFailureOf(new ScimRequestError(409, "uniqueness", "already linked"))).toEqual({
      status: 409,
      scimType: "uniqueness",
      detail: "already linked",
    });
  });

  it("answers a protected account and a user outside the tenant 403, saying why", () => {
    expect(scimFailureOf(new ProtectedAccountError("account-platform", "u1"))).toMatchObject({
      status: 403,
      detail: expect.stringMatching(/protected account \(PROTECTED_ACCOUNTS\)/),
    });
    expect(scimFailureOf(new OutsideTenantError("account-platform", "u1"))).toMatchObject({
      status: 403,
      detail: expect.stringMatching(/outside the configured tenant/),
    });
  });

  it("asks the identity provider to retry what cannot be done now: 503, or 429 with the platform's wait", () => {
    for (const error of [
      new UnavailableError("down", { ...where, status: 503 }),
      new LedgerUnavailableError({
        operation: "GetItem",
        code: "ThrottlingException",
        status: 400,
        cause: undefined,
      }),
      new EnqueueFailedError(1, ["ServiceUnavailable"]),
    ]) {
      expect(scimFailureOf(error)).toMatchObject({ status: 503, retryAfterSeconds: 30 });
    }
    expect(
      scimFailureOf(
        new RateLimitedError("slow down", { ...where, status: 429, retryAfterMs: 2_500 }),
      ),
    ).toMatchObject({ status: 429, retryAfterSeconds: 3 });
  });

  it("answers anything else 500 without repeating its message", () => {
    expect(scimFailureOf(new Error("secret detail"))).toEqual({
      status: 500,
      detail: "The request failed; it is logged",
    });
  });
});
