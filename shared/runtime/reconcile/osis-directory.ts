import type { FixedPace } from "../pace/fixed-pace.ts";
import type { OsisPlatform, OsisUser } from "../platforms/osis/osis.ts";

/** Users per listUsers page (OSIS allows up to 1,000). */
export const OSIS_LIST_PAGE_SIZE = 1_000;

/**
 * A tenant's OSIS users as one run of reconciliation saw them, read with `listUsers` in pages
 * of a thousand instead of one GET per person: 20,000 people of one tenant cost 20 reads, not
 * 20,000. Read once per tenant per run (lazily, by the first person of that tenant; the others
 * wait for it), each page waiting its turn on the run's fixed pace like any other read.
 *
 * It is a view from the start of the run, so it only ever clears a person: a user it shows as
 * the ledger wants is not drifted; one it shows otherwise, or does not list (OSIS may leave
 * `user_id` out), is read again by id before anything is reported.
 */
export class OsisDirectory {
  readonly #osis: OsisPlatform;
  readonly #pace: FixedPace;
  readonly #tenants = new Map<string, Promise<ReadonlyMap<string, OsisUser> | undefined>>();

  constructor(osis: OsisPlatform, pace: FixedPace) {
    this.#osis = osis;
    this.#pace = pace;
  }

  /** Whether the platform can list users at all (otherwise every person is read by id). */
  get lists(): boolean {
    return this.#osis.listUsers !== undefined;
  }

  /**
   * The user as listed, or `undefined` when the listing does not show it or could not be read
   * (the caller then reads the user by id: a failed listing is never an error of its own).
   */
  async find(
    tenantId: string,
    userId: string,
    signal?: AbortSignal,
  ): Promise<OsisUser | undefined> {
    let users = this.#tenants.get(tenantId);
    if (users === undefined) {
      users = this.#list(tenantId, signal).catch(() => undefined);
      this.#tenants.set(tenantId, users);
    }
    return (await users)?.get(userId);
  }

  async #list(tenantId: string, signal?: AbortSignal): Promise<ReadonlyMap<string, OsisUser>> {
    const listUsers = this.#osis.listUsers?.bind(this.#osis);
    const byId = new Map<string, OsisUser>();
    if (listUsers === undefined) return byId;
    for (let offset = 0; ; ) {
      await this.#pace.wait(signal);
      signal?.throwIfAborted();
      const page = await listUsers(tenantId, { offset, limit: OSIS_LIST_PAGE_SIZE }, signal);
      for (const user of page.users) {
        if (typeof user.user_id === "string") byId.set(user.user_id, user);
      }
      offset += page.users.length;
      const more =
        page.total === undefined
          ? page.users.length >= OSIS_LIST_PAGE_SIZE
          : offset < page.total && page.users.length > 0;
      if (!more) return byId;
    }
  }
}
