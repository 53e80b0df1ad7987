import type { LifecycleEvent } from "../../shared/runtime/events/lifecycle-event.ts";
import type { AccountPlatformUser } from "../../shared/runtime/platforms/account-platform/account-platform.ts";
import type { OsisUser } from "../../shared/runtime/platforms/osis/osis.ts";
import { CD_TENANT_ID, type ConsumerEnvironment, TENANT_ID } from "./consumer-environment.ts";

export const OSIS_TENANT_ID = "osis-tenant-1";

/** One person on both simulated platforms, and the event data naming them. */
export interface SeededPerson {
  subject: string;
  accountUser: AccountPlatformUser;
  osisUser: OsisUser;
  /** By platform ids: `accountPlatform.userId`, `osis.tenantId` + `userId`. */
  data: LifecycleEvent["data"];
  accountEnabled(): boolean | undefined;
  osisActive(): boolean | undefined;
}

export function seedPerson(
  environment: ConsumerEnvironment,
  subject: string,
  options: { enabled?: boolean; tenantId?: string; login?: string } = {},
): SeededPerson {
  const enabled = options.enabled ?? true;
  const accountUser = environment.accountPlatform.seedUser({
    login: options.login ?? `${subject}@example.com`,
    tenant_id: options.tenantId ?? TENANT_ID,
    enabled,
    external_id: `ext-${subject}`,
  });
  const osisUser = environment.osis.seedUser({
    tenant_id: OSIS_TENANT_ID,
    cd_user_id: `cd-${subject}`,
    cd_tenant_id: CD_TENANT_ID,
    user_id: `osis-${subject}`,
    active: enabled,
  });
  const osisUserId = osisUser.user_id ?? `osis-${subject}`;
  return {
    subject,
    accountUser,
    osisUser,
    data: {
      accountPlatform: { userId: accountUser.id },
      osis: { tenantId: OSIS_TENANT_ID, userId: osisUserId },
    },
    accountEnabled: () => environment.accountPlatform.user(accountUser.id)?.enabled,
    osisActive: () => {
      const user = environment.osis.user(OSIS_TENANT_ID, osisUserId);
      return user === undefined ? undefined : user.active !== false;
    },
  };
}
