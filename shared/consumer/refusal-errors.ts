import type { FailureTarget } from "../dlq/attributes.ts";

/**
 * Refusals the consumer decides itself, before any write: permanent, so the event goes to the
 * DLQ at once with the reason named after the class.
 */

/** The account-platform user belongs to another tenant than ACCOUNT_PLATFORM_TENANT_ID. */
export class OutsideTenantError extends Error {
  override readonly name = "OutsideTenantError";
  readonly target: FailureTarget = "account-platform";
  constructor(userId: string) {
    super(`account-platform user ${userId} is outside the configured tenant`);
  }
}

/** The user is listed in PROTECTED_ACCOUNTS: it is never disabled. */
export class ProtectedAccountError extends Error {
  override readonly name = "ProtectedAccountError";
  readonly target: FailureTarget;
  constructor(target: FailureTarget, userId: string) {
    super(`${target} user ${userId} is a protected account (PROTECTED_ACCOUNTS)`);
    this.target = target;
  }
}
