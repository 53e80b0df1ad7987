/** The OSIS tenant's users, keyed by (tenant_id, user_id); canonical ids are unique too. */
import { randomUUID } from "node:crypto";
import { OSIS_ROLES, type OsisUser } from "../../../shared/runtime/platforms/osis/osis.ts";
import { isPlainObject } from "../common/http-exchange.ts";

export type SeedOsisUser = Partial<OsisUser> & {
  tenant_id: string;
  cd_user_id: string;
  cd_tenant_id: string;
};

const REQUIRED = ["tenant_id", "cd_user_id", "cd_tenant_id"] as const;
const OPTIONAL_STRINGS = ["user_id", "canonical_user_id", "user_arn", "username", "email"] as const;

/** Problems with a body that must be an OsisUser; empty when it is one. */
export function osisUserProblems(value: unknown): string[] {
  if (!isPlainObject(value)) return ["the body must be an OsisUser JSON object"];
  const problems: string[] = [];
  for (const key of REQUIRED) {
    if (typeof value[key] !== "string" || value[key] === "") {
      problems.push(`invalid value for the property ${key}: it is required`);
    }
  }
  for (const key of OPTIONAL_STRINGS) {
    if (value[key] !== undefined && value[key] !== null && typeof value[key] !== "string") {
      problems.push(`invalid value for the property ${key}.`);
    }
  }
  if (value.active !== undefined && value.active !== null && typeof value.active !== "boolean") {
    problems.push("invalid value for the property active.");
  }
  if (
    value.role !== undefined &&
    value.role !== null &&
    !(OSIS_ROLES as readonly unknown[]).includes(value.role)
  ) {
    problems.push("invalid value for the property role.");
  }
  return problems;
}

export class OsisUserStore {
  readonly #users = new Map<string, OsisUser>();
  /** canonical_user_id → key in #users */
  readonly #byCanonicalId = new Map<string, string>();

  /** user_id defaults to cd_user_id, canonical_user_id to a uuid, active to true. */
  seed(input: SeedOsisUser): OsisUser {
    const problems = osisUserProblems(input);
    if (problems.length > 0) throw new TypeError(`invalid OSIS user: ${problems.join("; ")}`);
    const user: OsisUser = {
      ...input,
      user_id: input.user_id ?? input.cd_user_id,
      canonical_user_id: input.canonical_user_id ?? randomUUID(),
      active: input.active ?? true,
    };
    const key = keyOf(user.tenant_id, user.user_id ?? "");
    if (this.#users.has(key)) {
      throw new TypeError(`user ${user.user_id} already exists in tenant ${user.tenant_id}`);
    }
    const canonicalUserId = user.canonical_user_id ?? "";
    if (this.#byCanonicalId.has(canonicalUserId)) {
      throw new TypeError(`canonical_user_id ${canonicalUserId} is already taken`);
    }
    this.#users.set(key, structuredClone(user));
    this.#byCanonicalId.set(canonicalUserId, key);
    return user;
  }

  get(tenantId: string, userId: string): OsisUser | undefined {
    const user = this.#users.get(keyOf(tenantId, userId));
    return user === undefined ? undefined : structuredClone(user);
  }

  byCanonicalId(canonicalUserId: string): OsisUser | undefined {
    const key = this.#byCanonicalId.get(canonicalUserId);
    const user = key === undefined ? undefined : this.#users.get(key);
    return user === undefined ? undefined : structuredClone(user);
  }

  all(): OsisUser[] {
    return this.where(() => true);
  }

  /** Copies of the users that match, in creation order. */
  where(predicate: (user: Readonly<OsisUser>) => boolean): OsisUser[] {
    return [...this.#users.values()].filter(predicate).map((user) => structuredClone(user));
  }

  /** A hand edit; the identifying fields (tenant_id, user_id, canonical_user_id) stay. */
  edit(tenantId: string, userId: string, patch: Partial<OsisUser>): OsisUser {
    const user = this.#users.get(keyOf(tenantId, userId));
    if (user === undefined) throw new RangeError(`no OSIS user ${userId} in tenant ${tenantId}`);
    if (!isPlainObject(patch)) throw new TypeError("a user patch must be an object");
    const { tenant_id: _t, user_id: _u, canonical_user_id: _c, ...rest } = patch;
    Object.assign(user, structuredClone(rest));
    return structuredClone(user);
  }

  /** updateUserStatus: only `active` takes effect. */
  setActive(tenantId: string, userId: string, active: boolean | undefined): OsisUser | undefined {
    const user = this.#users.get(keyOf(tenantId, userId));
    if (user === undefined) return undefined;
    if (active !== undefined) user.active = active;
    return structuredClone(user);
  }

  delete(tenantId: string, userId: string): boolean {
    const key = keyOf(tenantId, userId);
    const user = this.#users.get(key);
    if (user === undefined) return false;
    this.#byCanonicalId.delete(user.canonical_user_id ?? "");
    return this.#users.delete(key);
  }
}

function keyOf(tenantId: string, userId: string): string {
  return JSON.stringify([tenantId, userId]);
}
