import { AmbiguousUserError, NotFoundError } from "../../errors/platform-errors.ts";
import { OutsideTenantError } from "../../errors/refusal-errors.ts";
import type { OsisTarget } from "../../events/lifecycle-event.ts";
import { isOsisUserActive, type OsisPlatform, type OsisUser } from "../../platforms/osis/osis.ts";
import { refuseIfProtected } from "./protected-accounts.ts";
import type { TargetChange } from "./target-change.ts";

export interface OsisStepOptions {
  platform: OsisPlatform;
  /** OSIS_CD_TENANT_ID: the cd tenant of a `cdUserId` given without `cdTenantId`. */
  cdTenantId: string;
  /** OSIS_CD_TENANT_IDS: the cd tenants whose users may be changed. */
  cdTenantIds: ReadonlySet<string>;
  protectedAccounts: ReadonlySet<string>;
}

/** An OSIS user and the ids its path is addressed by. */
export interface ResolvedOsisUser {
  tenantId: string;
  userId: string;
  user: OsisUser;
}

/**
 * The event's OSIS user: by `tenantId` + `userId` directly, or by `cdUserId` through
 * queryUsers in the event's cd tenant (else the configured one). Exactly one match is needed,
 * and its cd tenant, as OSIS returned it (never as the event said), must be one of
 * OSIS_CD_TENANT_IDS.
 */
export async function resolveOsisUser(
  target: OsisTarget,
  options: Pick<OsisStepOptions, "platform" | "cdTenantId" | "cdTenantIds">,
  signal: AbortSignal,
): Promise<ResolvedOsisUser> {
  const resolved = await findOsisUser(target, options, signal);
  const { user } = resolved;
  if (!options.cdTenantIds.has(user.cd_tenant_id)) {
    throw new OutsideTenantError("osis", user.user_id ?? user.cd_user_id);
  }
  return resolved;
}

async function findOsisUser(
  target: OsisTarget,
  options: Pick<OsisStepOptions, "platform" | "cdTenantId">,
  signal: AbortSignal,
): Promise<ResolvedOsisUser> {
  if (target.tenantId !== undefined && target.userId !== undefined) {
    const user = await options.platform.getUser(target.tenantId, target.userId, signal);
    return { tenantId: target.tenantId, userId: target.userId, user };
  }
  const cdUserId = target.cdUserId ?? "";
  const cdTenantId = target.cdTenantId ?? options.cdTenantId;
  const matches = await options.platform.queryUsers(
    { cd_tenant_id: cdTenantId, cd_user_id: cdUserId },
    signal,
  );
  const where = { platform: "osis", operation: "queryUsers" } as const;
  const [only, ...others] = matches;
  if (only === undefined) {
    throw new NotFoundError("osis queryUsers: no user has that cd user id in the cd tenant", where);
  }
  if (others.length > 0) {
    throw new AmbiguousUserError(`osis queryUsers: ${matches.length} users match`, {
      ...where,
      matches: matches.length,
    });
  }
  if (typeof only.user_id !== "string" || only.user_id === "") {
    throw new NotFoundError("osis queryUsers: the matching user has no user_id to address", where);
  }
  return { tenantId: only.tenant_id, userId: only.user_id, user: only };
}

/**
 * Compared with every id the platform returned for the user, never with the event's alone: an
 * event may name a protected user by an id that is not on the list (its canonical id, say).
 * The id the write's path will use (`resolved.userId`) is compared too: OSIS may leave
 * `user_id` out of its answer, and the PATCH then goes to the id the user was read by.
 */
export function refuseProtectedOsisUser(
  resolved: ResolvedOsisUser,
  protectedAccounts: ReadonlySet<string>,
): void {
  const { user } = resolved;
  refuseIfProtected(protectedAccounts, "osis", user.user_id ?? resolved.userId, [
    resolved.userId,
    user.canonical_user_id,
    user.username,
    user.cd_user_id,
  ]);
}

/** Activate or deactivate the user, skipping the write when it already is so. */
export async function applyOsis(
  resolved: ResolvedOsisUser,
  wantActive: boolean,
  options: OsisStepOptions,
  openGate: () => Promise<void>,
  signal: AbortSignal,
): Promise<TargetChange> {
  if (isOsisUserActive(resolved.user) === wantActive) return "unchanged";
  await openGate();
  await options.platform.setActive(resolved.tenantId, resolved.userId, wantActive, {
    current: resolved.user,
    signal,
  });
  return "written";
}
