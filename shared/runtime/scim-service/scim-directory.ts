import { type ResolvedOsisUser, resolveOsisUser } from "../consumer/targets/osis-target.ts";
import { NotFoundError } from "../errors/platform-errors.ts";
import { OutsideTenantError } from "../errors/refusal-errors.ts";
import { SCIM_SUBJECT_PREFIX } from "../ledger/account-user-item.ts";
import type { LedgerReader, PersonRecord } from "../ledger/person-record.ts";
import type {
  AccountPlatform,
  AccountPlatformDirectory,
  AccountPlatformUser,
} from "../platforms/account-platform/account-platform.ts";
import type { OsisPlatform } from "../platforms/osis/osis.ts";
import { mapConcurrently } from "../webhook/concurrently.ts";
import type { ScimLink } from "./scim-link.ts";
import type { ScimLinkStore } from "./scim-link-store.ts";

export interface ScimDirectoryOptions {
  accountPlatform: AccountPlatform & AccountPlatformDirectory;
  osis: OsisPlatform;
  links: ScimLinkStore;
  people: Pick<LedgerReader, "getPerson">;
  /** ACCOUNT_PLATFORM_TENANT_ID: its users are the SCIM users, no other. */
  tenantId: string;
  /** OSIS_CD_TENANT_ID: where the OSIS user whose `cd_user_id` is the login is looked up. */
  osisCdTenantId: string;
  /** Users of a page read at once. */
  readConcurrency: number;
}

/** Everything the product knows of one SCIM user: read from both platforms and the ledger. */
export interface ScimPerson {
  account: AccountPlatformUser;
  /** Absent: no OSIS user has the login as its `cd_user_id` (or OSIS could not say, on a read). */
  osis?: ResolvedOsisUser | undefined;
  link?: ScimLink | undefined;
  /** The subject the person's events go under: the ledger's, else `scim:<id>`. */
  subject: string;
  /** The ledger's record under that subject, when there is one. */
  person?: PersonRecord | undefined;
}

/** A page of the tenant's users, and how many there are in all (deprovisioned ones left out). */
export interface ScimPage {
  people: ScimPerson[];
  total: number;
}

/**
 * The tenant's users as SCIM sees them. A user of another tenant does not exist here; a
 * user deleted over SCIM (deprovisioned) is left out of listings, and the caller answers 404
 * for it. For a change the OSIS read is required (its event must name the OSIS user, so an
 * OSIS that cannot answer fails the request and the identity provider retries); a read shows
 * the user without it.
 */
export class ScimDirectory {
  readonly #options: ScimDirectoryOptions;

  constructor(options: ScimDirectoryOptions) {
    this.#options = options;
  }

  /**
   * The user with this account platform id, or undefined when there is none. For a `change`,
   * a user of another tenant is refused (OutsideTenantError, 403 with the reason); for a read
   * it does not exist.
   */
  async read(
    accountUserId: string,
    signal: AbortSignal,
    purpose: "read" | "change" = "read",
  ): Promise<ScimPerson | undefined> {
    const { accountPlatform, tenantId } = this.#options;
    const account = await orUndefined(accountPlatform.getUser(accountUserId, signal));
    if (account === undefined) return undefined;
    if (account.tenant_id !== tenantId) {
      if (purpose === "change") throw new OutsideTenantError("account-platform", account.id);
      return undefined;
    }
    return this.#around(account, signal, purpose);
  }

  /** The account platform id of the login's user in the tenant (case-insensitive). */
  idOfLogin(login: string, signal: AbortSignal): Promise<string | undefined> {
    const { accountPlatform, tenantId } = this.#options;
    return orUndefined(accountPlatform.findByLogin(login, tenantId, signal));
  }

  /** The user whose link holds this externalId. */
  async idOfExternalId(externalId: string): Promise<string | undefined> {
    const { links } = this.#options;
    const accountUserId = await links.userWithExternalId(externalId);
    if (accountUserId === undefined) return undefined;
    const link = await links.getLink(accountUserId);
    return link?.externalId === externalId ? accountUserId : undefined;
  }

  /** Users `startIndex` (1-based) onwards, `count` of them, in the platform's order. */
  async page(startIndex: number, count: number, signal: AbortSignal): Promise<ScimPage> {
    const { accountPlatform, links, tenantId, readConcurrency } = this.#options;
    const [ids, deprovisioned] = await Promise.all([
      accountPlatform.listTenantUserIds(tenantId, signal),
      links.deprovisionedUsers(),
    ]);
    const listed = ids.filter((id) => !deprovisioned.has(id));
    const wanted = listed.slice(startIndex - 1, startIndex - 1 + count);
    const people = await mapConcurrently(wanted, readConcurrency, (id) => this.read(id, signal));
    // A user removed between the listing and its read is left out of the page.
    return {
      people: people.filter((person): person is ScimPerson => person !== undefined),
      total: listed.length,
    };
  }

  async #around(
    account: AccountPlatformUser,
    signal: AbortSignal,
    purpose: "read" | "change",
  ): Promise<ScimPerson> {
    const { links, people } = this.#options;
    const [osis, link, subject] = await Promise.all([
      this.#osisUser(account.login, signal).catch((error: unknown) => {
        if (purpose === "change") throw error;
        return undefined;
      }),
      links.getLink(account.id),
      links.rememberedSubject(account.id),
    ]);
    const chosen = subject ?? `${SCIM_SUBJECT_PREFIX}${account.id}`;
    return { account, osis, link, subject: chosen, person: await people.getPerson(chosen) };
  }

  #osisUser(login: string, signal: AbortSignal): Promise<ResolvedOsisUser | undefined> {
    const { osis, osisCdTenantId } = this.#options;
    return orUndefined(
      resolveOsisUser(
        { cdUserId: login, cdTenantId: osisCdTenantId },
        { platform: osis, cdTenantId: osisCdTenantId, cdTenantIds: new Set([osisCdTenantId]) },
        signal,
      ),
    );
  }
}

/** A lookup's "no such user" as undefined; every other failure goes on. */
async function orUndefined<T>(lookup: Promise<T>): Promise<T | undefined> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}
