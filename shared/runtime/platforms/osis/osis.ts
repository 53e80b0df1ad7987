/** What the consumer needs of an OSIS endpoint. `OsisClient` implements it over HTTP. */
import type { OsisCredentialPlatform } from "./osis-credentials.ts";

export const OSIS_ROLES = [
  "PROVIDER_ADMIN",
  "TENANT_ADMIN",
  "TENANT_USER",
  "ANONYMOUS",
  "UNKNOWN",
] as const;

export interface OsisUser {
  tenant_id: string;
  cd_user_id: string;
  cd_tenant_id: string;
  user_id?: string;
  canonical_user_id?: string;
  user_arn?: string;
  /** Absent means active (docs/platforms.md, "OsisUser"). */
  active?: boolean;
  username?: string;
  email?: string;
  role?: (typeof OSIS_ROLES)[number];
  [key: string]: unknown;
}

/** OSIS "active" semantics: a missing `active` means the user is active. */
export function isOsisUserActive(user: OsisUser): boolean {
  return user.active !== false;
}

/** The user operations, and the S3 key operations an offboard and a rehire use. */
export interface OsisPlatform extends OsisCredentialPlatform {
  /** GET {base}/tenants/{tenantId}/users/{userId}. NotFoundError on 404. */
  getUser(tenantId: string, userId: string, signal?: AbortSignal): Promise<OsisUser>;
  /**
   * GET {base}/tenants/{tenantId}/users?offset&limit — one page of a tenant's users, and how
   * many it has in all when OSIS says. Optional: a stand-in without it is read user by user.
   */
  listUsers?(
    tenantId: string,
    page: { offset: number; limit: number },
    signal?: AbortSignal,
  ): Promise<{ users: OsisUser[]; total?: number | undefined }>;
  /** GET {base}/users/query?filter=k==v;k==v — every page. */
  queryUsers(filter: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<OsisUser[]>;
  /**
   * PATCH {base}/tenants/{tenantId}/users/{userId} with a complete OsisUser body. `current` is
   * the user just read (saves a GET); NotAppliedError when the answer does not show `active`.
   */
  setActive(
    tenantId: string,
    userId: string,
    active: boolean,
    options?: { current?: OsisUser; signal?: AbortSignal },
  ): Promise<OsisUser>;
}
