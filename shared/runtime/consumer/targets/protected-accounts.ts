import type { FailureTarget } from "../../../contract/dead-letter-attributes.ts";
import { ProtectedAccountError } from "../../errors/refusal-errors.ts";

/**
 * PROTECTED_ACCOUNTS names logins and user ids that are never disabled (break-glass and
 * service accounts). Only a disabling event is refused: enabling such an account is harmless.
 * Every identifier of the user is compared, case-insensitively.
 */
export function refuseIfProtected(
  protectedAccounts: ReadonlySet<string>,
  target: FailureTarget,
  userId: string,
  identifiers: readonly (string | null | undefined)[],
): void {
  if (protectedAccounts.size === 0) return;
  const hit = [userId, ...identifiers].some(
    (value) => typeof value === "string" && protectedAccounts.has(value.toLowerCase()),
  );
  if (hit) throw new ProtectedAccountError(target, userId);
}
