import { setTimeout as sleep } from "node:timers/promises";
import { VersionConflictError } from "../../errors/platform-errors.ts";
import { OutsideTenantError } from "../../errors/refusal-errors.ts";
import type { AccountPlatformTarget } from "../../events/lifecycle-event.ts";
import type { Logger } from "../../logging/logger.ts";
import type {
  AccountPlatform,
  AccountPlatformUser,
} from "../../platforms/account-platform/account-platform.ts";
import { jitteredMs } from "../backoff.ts";
import { refuseIfProtected } from "./protected-accounts.ts";
import type { TargetChange } from "./target-change.ts";

export interface AccountPlatformStepOptions {
  platform: AccountPlatform;
  /** ACCOUNT_PLATFORM_TENANT_ID: lookups happen in it, users outside it are refused. */
  tenantId: string;
  protectedAccounts: ReadonlySet<string>;
  versionConflictRetries: number;
  /** First pause before re-reading after a conflict; doubles each time, jittered. */
  conflictDelayMs: number;
  random: () => number;
  logger: Logger;
}

/**
 * The event's account-platform user: by `userId` directly, by `externalId` or `login` through
 * the lookups within the configured tenant. A user of another tenant is refused.
 */
export async function resolveAccountPlatformUser(
  target: AccountPlatformTarget,
  options: Pick<AccountPlatformStepOptions, "platform" | "tenantId">,
  signal: AbortSignal,
): Promise<AccountPlatformUser> {
  const { platform, tenantId } = options;
  let user: AccountPlatformUser;
  if (target.userId !== undefined) {
    user = await platform.getUser(target.userId, signal);
  } else if (target.externalId !== undefined) {
    user = await platform.findByExternalId(target.externalId, tenantId, signal);
  } else {
    const login = target.login ?? "";
    user = await platform.getUser(await platform.findByLogin(login, tenantId, signal), signal);
  }
  refuseOutsideTenant(user, tenantId);
  return user;
}

export function refuseProtectedAccountUser(
  user: AccountPlatformUser,
  protectedAccounts: ReadonlySet<string>,
): void {
  refuseIfProtected(protectedAccounts, "account-platform", user.id, [user.login]);
}

/**
 * Enable or disable the user, skipping the write when it already is so. The PUT carries the
 * version just read; a version conflict (someone else changed the user meanwhile) re-reads and
 * decides again, a bounded number of times with a short jittered pause. Past that, the
 * VersionConflictError goes to the caller (DLQ `version_conflict`).
 */
export async function applyAccountPlatform(
  user: AccountPlatformUser,
  wantEnabled: boolean,
  options: AccountPlatformStepOptions,
  openGate: () => Promise<void>,
  signal: AbortSignal,
): Promise<TargetChange> {
  let current = user;
  for (let retry = 0; ; retry += 1) {
    if (current.enabled === wantEnabled) return "unchanged";
    await openGate();
    try {
      await options.platform.setEnabled(current.id, wantEnabled, current.version, signal);
      return "written";
    } catch (error) {
      if (!(error instanceof VersionConflictError) || retry >= options.versionConflictRetries) {
        throw error;
      }
      options.logger.info("Version conflict on the account platform; reading the user again", {
        target: "account-platform",
        userId: current.id,
        retry: retry + 1,
      });
    }
    await sleep(jitteredMs(options.conflictDelayMs * 2 ** retry, options.random), undefined, {
      signal,
    });
    current = await options.platform.getUser(current.id, signal);
    refuseOutsideTenant(current, options.tenantId);
  }
}

function refuseOutsideTenant(user: AccountPlatformUser, tenantId: string): void {
  if (user.tenant_id !== tenantId) throw new OutsideTenantError("account-platform", user.id);
}
