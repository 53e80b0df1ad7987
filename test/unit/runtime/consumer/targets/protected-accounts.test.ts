import { describe, expect, it } from "vitest";
import { refuseProtectedAccountUser } from "../../../../../shared/runtime/consumer/targets/account-platform-target.ts";
import { refuseProtectedOsisUser } from "../../../../../shared/runtime/consumer/targets/osis-target.ts";
import { ProtectedAccountError } from "../../../../../shared/runtime/errors/refusal-errors.ts";

const PROTECTED = new Set(["break-glass"]);

describe("PROTECTED_ACCOUNTS against every id a write will use", () => {
  it("refuses an OSIS user read by a protected id when OSIS leaves user_id out of its answer", () => {
    const user = { tenant_id: "t", cd_tenant_id: "cd", cd_user_id: "cd-7", active: true };
    const refuse = () =>
      refuseProtectedOsisUser({ tenantId: "t", userId: "Break-Glass", user }, PROTECTED);
    expect(refuse).toThrow(ProtectedAccountError);
    expect(refuse).toThrow(/Break-Glass/);
  });

  it("refuses by any id OSIS returned, and lets an unprotected user through", () => {
    const user = { tenant_id: "t", cd_tenant_id: "cd", cd_user_id: "cd-7", user_id: "u-7" };
    expect(() =>
      refuseProtectedOsisUser(
        { tenantId: "t", userId: "u-7", user: { ...user, username: "BREAK-GLASS" } },
        PROTECTED,
      ),
    ).toThrow(ProtectedAccountError);
    expect(() =>
      refuseProtectedOsisUser({ tenantId: "t", userId: "u-7", user }, PROTECTED),
    ).not.toThrow();
  });

  it("refuses an account platform user by the id its PUT uses or by its login", () => {
    const user = { id: "break-glass", login: "ops@example.com", enabled: true, version: 1 };
    expect(() =>
      refuseProtectedAccountUser(
        user as Parameters<typeof refuseProtectedAccountUser>[0],
        PROTECTED,
      ),
    ).toThrow(ProtectedAccountError);
  });
});
