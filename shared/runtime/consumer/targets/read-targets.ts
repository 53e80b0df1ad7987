import type { FailureTarget } from "../../../contract/dead-letter-attributes.ts";
import { type LifecycleEvent, wantsEnabled } from "../../events/lifecycle-event.ts";
import type { AccountPlatformUser } from "../../platforms/account-platform/account-platform.ts";
import {
  type AccountPlatformStepOptions,
  refuseProtectedAccountUser,
  resolveAccountPlatformUser,
} from "./account-platform-target.ts";
import {
  type OsisStepOptions,
  type ResolvedOsisUser,
  refuseProtectedOsisUser,
  resolveOsisUser,
} from "./osis-target.ts";

export interface TargetReadOptions {
  accountPlatform: Pick<AccountPlatformStepOptions, "platform" | "tenantId">;
  osis: Pick<OsisStepOptions, "platform" | "cdTenantId" | "cdTenantIds">;
  protectedAccounts: ReadonlySet<string>;
}

/** The users an event names, as just read (a target already done is left out). */
export interface ReadTargets {
  account: AccountPlatformUser | undefined;
  osis: ResolvedOsisUser | undefined;
}

/**
 * Resolves every target still to do (both at once) and applies the refusals, before anything
 * is written: a refusal or a lookup failure stops the event before it changed anything. The
 * consumer's real run and its plan (dry run, `lifecycle plan`) both start here.
 */
export async function readTargets(
  event: LifecycleEvent,
  done: readonly FailureTarget[],
  options: TargetReadOptions,
  signal: AbortSignal,
): Promise<ReadTargets> {
  const accountTarget = done.includes("account-platform") ? undefined : event.data.accountPlatform;
  const osisTarget = done.includes("osis") ? undefined : event.data.osis;
  // The two platforms are independent, so their reads overlap; a failure is still reported
  // in target order, whatever answered first.
  const [accountRead, osisRead] = await Promise.allSettled([
    accountTarget && resolveAccountPlatformUser(accountTarget, options.accountPlatform, signal),
    osisTarget && resolveOsisUser(osisTarget, options.osis, signal),
  ]);
  if (accountRead.status === "rejected") throw accountRead.reason;
  if (osisRead.status === "rejected") throw osisRead.reason;
  const account = accountRead.value || undefined;
  const osis = osisRead.value || undefined;
  if (!wantsEnabled(event)) {
    if (account) refuseProtectedAccountUser(account, options.protectedAccounts);
    if (osis) refuseProtectedOsisUser(osis, options.protectedAccounts);
  }
  return { account, osis };
}
