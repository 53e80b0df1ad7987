import { refuseProtectedAccountUser } from "../consumer/targets/account-platform-target.ts";
import { refuseProtectedOsisUser } from "../consumer/targets/osis-target.ts";
import { ScimRequestError } from "../errors/scim-request-error.ts";
import type { LifecycleEvent } from "../events/lifecycle-event.ts";
import type { ScimPerson } from "./scim-directory.ts";
import { scimEvent } from "./scim-event.ts";
import { decidedActive, isLinked, type ScimLink } from "./scim-link.ts";
import type { ScimLinkStore } from "./scim-link-store.ts";

export interface ScimUserChangesOptions {
  links: ScimLinkStore;
  /** Sends events to the queue, as the webhook does (event-enqueuer.ts), arrived at `now`. */
  enqueue(events: readonly LifecycleEvent[], arrivedAt: number): Promise<void>;
  protectedAccounts: ReadonlySet<string>;
  osisCdTenantId: string;
  now: () => number;
}

/**
 * What an identity provider's writes do. The only state written is the user's link; a change
 * of `active` is a lifecycle event on the queue, which the consumer applies like any other
 * (guard, dry run, schedules, the timeline rule). Rules:
 *   1. An event is sent only when the asked `active` differs from the state the product
 *      decided (scim-link.ts, `decidedActive`): asking again, or deactivating an inactive
 *      user, sends nothing and answers as usual.
 *   2. A deactivation of a protected account (PROTECTED_ACCOUNTS) is refused with 403 before
 *      anything is sent or written.
 *   3. The event is sent before the link records the decision: should the send fail, the
 *      request fails and the identity provider's retry decides again; never a link saying
 *      "decided" with no event behind it.
 */
export class ScimUserChanges {
  readonly #options: ScimUserChangesOptions;

  constructor(options: ScimUserChangesOptions) {
    this.#options = options;
  }

  /** Sets `active` (rules 1-3), writing `linkChanges` with the decision (or alone). */
  async decide(
    person: ScimPerson,
    wanted: boolean | undefined,
    reason: string,
    linkChanges: Partial<ScimLink> = {},
  ): Promise<ScimPerson> {
    const { links, now, protectedAccounts, osisCdTenantId } = this.#options;
    const shown = decidedActive({
      link: person.link,
      person: person.person,
      platformEnabled: person.account.enabled,
    });
    let link: ScimLink = { ...person.link, ...linkChanges, accountUserId: person.account.id };
    if (wanted !== undefined && wanted !== shown) {
      if (!wanted) {
        refuseProtectedAccountUser(person.account, protectedAccounts);
        if (person.osis) refuseProtectedOsisUser(person.osis, protectedAccounts);
      }
      const at = now();
      await this.#options.enqueue(
        [scimEvent(person, wanted, { now: at, osisCdTenantId, reason })],
        at,
      );
      link = { ...link, decided: { active: wanted, at } };
    } else if (Object.keys(linkChanges).length === 0) {
      return person;
    }
    await links.putLink(link);
    return { ...person, link };
  }

  /**
   * POST: links the user (409 `uniqueness` when it already is), its externalId, then its
   * `active` as the body says.
   */
  async link(
    person: ScimPerson,
    creation: { active: boolean; externalId?: string | undefined },
  ): Promise<ScimPerson> {
    const { links, now } = this.#options;
    const linked: ScimLink = {
      ...person.link,
      accountUserId: person.account.id,
      linkedAt: now(),
      deprovisioned: false,
      externalId: creation.externalId,
    };
    if (isLinked(person.link) || !(await links.putLink(linked, { unlessLinked: true }))) {
      throw new ScimRequestError(
        409,
        "uniqueness",
        `${person.account.login} is already linked; read it with GET /Users/${person.account.id}`,
      );
    }
    if (person.link?.deprovisioned === true) {
      await links.markDeprovisioned(person.account.id, false);
    }
    if (creation.externalId !== undefined) {
      await links.putExternalId(creation.externalId, person.account.id);
    }
    return this.decide({ ...person, link: linked }, creation.active, "SCIM POST /Users");
  }

  /** PATCH or PUT of externalId: the link keeps it, and it finds the user again. */
  async setExternalId(person: ScimPerson, externalId: string | null): Promise<ScimPerson> {
    if ((person.link?.externalId ?? null) === externalId) return person;
    if (externalId !== null) {
      await this.#options.links.putExternalId(externalId, person.account.id);
    }
    return this.decide(person, undefined, "", { externalId: externalId ?? undefined });
  }

  /** DELETE: disables the user (an offboard), then hides it until a POST links it again. */
  async deprovision(person: ScimPerson): Promise<void> {
    await this.decide(person, false, "SCIM DELETE /Users", { deprovisioned: true });
    await this.#options.links.markDeprovisioned(person.account.id, true);
  }
}
