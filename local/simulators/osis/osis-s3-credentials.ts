/**
 * The OSIS tenant's S3 credentials, per user, in creation order; an access key is unique
 * across the tenant. Each holds a secret key, answered as OSIS answers it.
 */
import { randomBytes } from "node:crypto";
import type { OsisS3Credential } from "../../../shared/runtime/platforms/osis/osis-credentials.ts";
import { isPlainObject } from "../common/http-exchange.ts";

/** What seeding a credential takes: the owner, and optionally the key's own fields. */
export interface SeedOsisS3Credential {
  tenant_id: string;
  user_id: string;
  access_key?: string;
  secret_key?: string;
  active?: boolean;
}

/** The owner's fields a credential repeats (the user must exist). */
export interface CredentialOwner {
  tenant_id: string;
  user_id: string;
  cd_user_id: string;
  cd_tenant_id: string;
  username?: string | undefined;
}

const REQUIRED = [
  "access_key",
  "secret_key",
  "tenant_id",
  "user_id",
  "cd_user_id",
  "cd_tenant_id",
] as const;

/** Problems with a body that must be an OsisS3Credential; empty when it is one. */
export function osisCredentialProblems(value: unknown): string[] {
  if (!isPlainObject(value)) return ["the body must be an OsisS3Credential JSON object"];
  const problems: string[] = [];
  for (const key of REQUIRED) {
    if (typeof value[key] !== "string" || value[key] === "") {
      problems.push(`invalid value for the property ${key}: it is required`);
    }
  }
  if (value.active !== undefined && value.active !== null && typeof value.active !== "boolean") {
    problems.push("invalid value for the property active.");
  }
  return problems;
}

export class OsisCredentialStore {
  /** access_key → credential */
  readonly #byAccessKey = new Map<string, OsisS3Credential>();

  seed(owner: CredentialOwner, input: SeedOsisS3Credential): OsisS3Credential {
    if (input.active !== undefined && typeof input.active !== "boolean") {
      throw new TypeError("active must be a boolean");
    }
    const accessKey = input.access_key ?? newAccessKey();
    if (typeof accessKey !== "string" || accessKey === "") {
      throw new TypeError("access_key must be a non-empty string");
    }
    if (this.#byAccessKey.has(accessKey)) {
      throw new TypeError(`access key ${accessKey} already exists`);
    }
    const credential: OsisS3Credential = {
      access_key: accessKey,
      secret_key: input.secret_key ?? randomBytes(30).toString("base64"),
      tenant_id: owner.tenant_id,
      user_id: owner.user_id,
      cd_user_id: owner.cd_user_id,
      cd_tenant_id: owner.cd_tenant_id,
      active: input.active ?? true,
      creation_date: new Date().toISOString(),
      ...(owner.username === undefined ? {} : { username: owner.username }),
    };
    this.#byAccessKey.set(accessKey, credential);
    return structuredClone(credential);
  }

  /** The user's credentials, in creation order. */
  ofUser(tenantId: string, userId: string): OsisS3Credential[] {
    return [...this.#byAccessKey.values()]
      .filter((c) => c.tenant_id === tenantId && c.user_id === userId)
      .map((c) => structuredClone(c));
  }

  get(accessKey: string): OsisS3Credential | undefined {
    const credential = this.#byAccessKey.get(accessKey);
    return credential === undefined ? undefined : structuredClone(credential);
  }

  setActive(accessKey: string, active: boolean): OsisS3Credential | undefined {
    const credential = this.#byAccessKey.get(accessKey);
    if (credential === undefined) return undefined;
    credential.active = active;
    return structuredClone(credential);
  }

  /** What a backend whose keys follow their user does inside updateUserStatus. */
  setUserKeysActive(tenantId: string, userId: string, active: boolean): void {
    for (const credential of this.#byAccessKey.values()) {
      if (credential.tenant_id === tenantId && credential.user_id === userId) {
        credential.active = active;
      }
    }
  }

  delete(accessKey: string): boolean {
    return this.#byAccessKey.delete(accessKey);
  }
}

/** 20 characters of A–Z and 0–9, as S3 access key ids look. */
function newAccessKey(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  return `AK${[...randomBytes(18)].map((byte) => alphabet[byte % alphabet.length]).join("")}`;
}
