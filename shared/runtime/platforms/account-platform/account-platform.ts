/**
 * What the consumer needs of the account platform. `AccountPlatformClient` implements it over
 * HTTP; tests and benchmarks use the same client against the simulator.
 */

/** The user object as the platform returns it (fields the product reads; others pass through). */
export interface AccountPlatformUser {
  id: string;
  version: number;
  tenant_id: string;
  login: string;
  enabled: boolean;
  activated?: boolean;
  external_id?: string | null;
  contact?: { email?: string; firstname?: string; lastname?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface AccountPlatform {
  /** GET /api/2/users/{id}. NotFoundError on 404. */
  getUser(userId: string, signal?: AbortSignal): Promise<AccountPlatformUser>;
  /** PUT /api/2/users/{id} {enabled, version}. Never retried; VersionConflictError on 409/426. */
  setEnabled(
    userId: string,
    enabled: boolean,
    version: number,
    signal?: AbortSignal,
  ): Promise<AccountPlatformUser>;
  /** GET /api/2/users?external_ids=&tenant_id=. NotFoundError / AmbiguousUserError. */
  findByExternalId(
    externalId: string,
    tenantId: string,
    signal?: AbortSignal,
  ): Promise<AccountPlatformUser>;
  /** GET /api/2/search, exact case-insensitive login match. Returns the user's id. */
  findByLogin(login: string, tenantId: string, signal?: AbortSignal): Promise<string>;
}

/** What the SCIM function lists a tenant's users with; `AccountPlatformClient` implements it. */
export interface AccountPlatformDirectory {
  /** GET /api/2/tenants/{tenant_id}/users: the ids of the tenant's users (ids only). */
  listTenantUserIds(tenantId: string, signal?: AbortSignal): Promise<string[]>;
}
