/**
 * The account platform's users (and, for search, its tenants), as the real platform keeps
 * them: every write increments `version`, and a PUT must carry the current one.
 */
import { randomUUID } from "node:crypto";
import type { AccountPlatformUser } from "../../../shared/runtime/platforms/account-platform/account-platform.ts";
import { isPlainObject } from "../common/http-exchange.ts";

export type SeedAccountPlatformUser = Partial<AccountPlatformUser> & {
  login: string;
  tenant_id: string;
};

export interface AccountPlatformTenant {
  id: string;
  name: string;
  parent_id: string | null;
  kind: string;
}

export interface SearchItem {
  obj_type: "user" | "tenant";
  id: string;
  parent_id: string | null;
  path: string;
  kind: string;
  login?: string;
  name: string;
  first_name?: string;
  last_name?: string;
}

export type UpdateOutcome =
  | { kind: "updated"; user: AccountPlatformUser }
  | { kind: "not-found" }
  | { kind: "stale-version"; current: number };

const BLANK_CONTACT = {
  email: "",
  firstname: "",
  lastname: "",
  address1: "",
  address2: "",
  city: "",
  country: "",
  phone: "",
  state: "",
  zipcode: "",
};

export class AccountPlatformUserStore {
  readonly #users = new Map<string, AccountPlatformUser>();
  readonly #tenants = new Map<string, AccountPlatformTenant>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** A new user: id (uuid) generated if absent, version 1 and enabled unless given. */
  seed(input: SeedAccountPlatformUser): AccountPlatformUser {
    validateSeed(input);
    const id = input.id ?? randomUUID();
    if (this.#users.has(id)) throw new TypeError(`a user with id ${id} already exists`);
    const { contact, id: _id, version, tenant_id, login, enabled, ...rest } = input;
    const user: AccountPlatformUser = {
      id,
      version: version ?? 1,
      tenant_id,
      login,
      activated: true,
      enabled: enabled ?? true,
      terms_accepted: false,
      created_at: new Date(this.#now()).toISOString(),
      language: "en",
      contact: { ...BLANK_CONTACT, ...contact },
      idp_id: "11111111-1111-1111-1111-111111111111",
      external_id: null,
      personal_tenant_id: null,
      notifications: [],
      mfa_status: "disabled",
      business_types: [],
      ...rest,
    };
    this.#users.set(id, structuredClone(user));
    return user;
  }

  seedTenant(input: {
    id?: string;
    name: string;
    parent_id?: string | null;
    kind?: string;
  }): AccountPlatformTenant {
    if (typeof input.name !== "string" || input.name === "")
      throw new TypeError("a tenant needs a name");
    const tenant: AccountPlatformTenant = {
      id: input.id ?? randomUUID(),
      name: input.name,
      parent_id: input.parent_id ?? null,
      kind: input.kind ?? "customer",
    };
    this.#tenants.set(tenant.id, tenant);
    return { ...tenant };
  }

  get(id: string): AccountPlatformUser | undefined {
    const user = this.#users.get(id);
    return user === undefined ? undefined : structuredClone(user);
  }

  all(): AccountPlatformUser[] {
    return [...this.#users.values()].map((user) => structuredClone(user));
  }

  /** A hand edit ("someone re-enabled it"): applies the patch and bumps the version. */
  edit(id: string, patch: Partial<AccountPlatformUser>): AccountPlatformUser {
    const user = this.#users.get(id);
    if (user === undefined) throw new RangeError(`no account platform user ${id}`);
    if (!isPlainObject(patch)) throw new TypeError("a user patch must be an object");
    const { id: _id, version: _version, contact, ...rest } = patch;
    Object.assign(user, structuredClone(rest));
    if (contact !== undefined) user.contact = { ...user.contact, ...contact };
    user.version += 1;
    return structuredClone(user);
  }

  /** A concurrent writer: the version moves on, nothing else changes. */
  bumpVersion(id: string): void {
    const user = this.#users.get(id);
    if (user !== undefined) user.version += 1;
  }

  /** PUT /users/{id} {enabled, version}. */
  update(id: string, enabled: boolean | undefined, version: number): UpdateOutcome {
    const user = this.#users.get(id);
    if (user === undefined) return { kind: "not-found" };
    if (user.version !== version) return { kind: "stale-version", current: user.version };
    if (enabled !== undefined) user.enabled = enabled;
    user.version += 1;
    return { kind: "updated", user: structuredClone(user) };
  }

  withExternalIds(externalIds: readonly string[], tenantId: string): AccountPlatformUser[] {
    return this.where(
      (user) =>
        user.tenant_id === tenantId &&
        typeof user.external_id === "string" &&
        externalIds.includes(user.external_id),
    );
  }

  inTenant(tenantId: string): AccountPlatformUser[] {
    return this.where((user) => user.tenant_id === tenantId);
  }

  /** Copies of the users that match, in creation order. */
  where(predicate: (user: Readonly<AccountPlatformUser>) => boolean): AccountPlatformUser[] {
    return [...this.#users.values()].filter(predicate).map((user) => structuredClone(user));
  }

  /**
   * Lower-case PREFIX match over tenant names, and over users' login, first name, last name,
   * full name and e-mail; tenants first, then users in creation order, at most `limit` items.
   * `tenantId` scopes the search to that tenant and its sub-tenants.
   */
  search(text: string, tenantId: string | undefined, limit: number): SearchItem[] {
    const wanted = text.toLowerCase();
    const matches = (...values: unknown[]) =>
      values.some((value) => typeof value === "string" && value.toLowerCase().startsWith(wanted));
    const inScope = (id: string) => tenantId === undefined || this.#isWithin(id, tenantId);
    const tenants: SearchItem[] = [...this.#tenants.values()]
      .filter((tenant) => inScope(tenant.id) && matches(tenant.name))
      .map((tenant) => ({
        obj_type: "tenant",
        id: tenant.id,
        parent_id: tenant.parent_id,
        path: this.#pathOf(tenant.id),
        kind: tenant.kind,
        name: tenant.name,
      }));
    const users: SearchItem[] = [...this.#users.values()]
      .filter((user) => {
        const first = user.contact?.firstname;
        const last = user.contact?.lastname;
        return (
          inScope(user.tenant_id) &&
          matches(user.login, first, last, `${first ?? ""} ${last ?? ""}`, user.contact?.email)
        );
      })
      .map((user) => ({
        obj_type: "user",
        id: user.id,
        parent_id: user.tenant_id,
        path: `${this.#pathOf(user.tenant_id)}/${user.login}`,
        kind: "user",
        login: user.login,
        name: fullName(user),
        first_name: user.contact?.firstname ?? "",
        last_name: user.contact?.lastname ?? "",
      }));
    return [...tenants, ...users].slice(0, limit);
  }

  #isWithin(id: string, ancestorId: string): boolean {
    const seen = new Set<string>();
    let current: string | null | undefined = id;
    while (current !== null && current !== undefined && !seen.has(current)) {
      if (current === ancestorId) return true;
      seen.add(current);
      current = this.#tenants.get(current)?.parent_id;
    }
    return false;
  }

  #pathOf(tenantId: string): string {
    const names: string[] = [];
    const seen = new Set<string>();
    let current: string | null | undefined = tenantId;
    while (current !== null && current !== undefined && !seen.has(current)) {
      seen.add(current);
      names.unshift(this.#tenants.get(current)?.name ?? current);
      current = this.#tenants.get(current)?.parent_id;
    }
    return names.join("/");
  }
}

function fullName(user: AccountPlatformUser): string {
  const name = [user.contact?.firstname, user.contact?.lastname].filter(Boolean).join(" ");
  return name === "" ? user.login : name;
}

function validateSeed(input: SeedAccountPlatformUser): void {
  if (!isPlainObject(input)) throw new TypeError("a user must be an object");
  const problems: string[] = [];
  if (typeof input.login !== "string" || input.login === "") problems.push("login is required");
  if (typeof input.tenant_id !== "string" || input.tenant_id === "")
    problems.push("tenant_id is required");
  if (input.id !== undefined && (typeof input.id !== "string" || input.id === ""))
    problems.push("id must be a string");
  if (input.version !== undefined && !(Number.isInteger(input.version) && input.version >= 1)) {
    problems.push("version must be a positive integer");
  }
  if (input.enabled !== undefined && typeof input.enabled !== "boolean")
    problems.push("enabled must be a boolean");
  if (input.contact !== undefined && !isPlainObject(input.contact))
    problems.push("contact must be an object");
  if (problems.length > 0)
    throw new TypeError(`invalid account platform user: ${problems.join("; ")}`);
}
