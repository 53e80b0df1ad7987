import type { FailureTarget } from "../../contract/dead-letter-attributes.ts";

/**
 * Refusals the consumer decides itself, before any write: permanent, so the event goes to the
 * DLQ at once with the reason named after the class.
 */

/**
 * The user belongs to a tenant the consumer may not change: on the account platform another
 * than ACCOUNT_PLATFORM_TENANT_ID, on OSIS a cd tenant not in OSIS_CD_TENANT_IDS.
 */
export class OutsideTenantError extends Error {
  override readonly name = "OutsideTenantError";
  readonly target: FailureTarget;
  constructor(target: FailureTarget, userId: string) {
    super(`${target} user ${userId} is outside the configured tenant`);
    this.target = target;
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
