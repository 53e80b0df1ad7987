import type { PersonRecord } from "../ledger/person-record.ts";

/**
 * The one thing the product keeps for SCIM: a link per user (`SCIM#link#<account user id>`).
 * The user itself is the account platform's; the link holds what the identity provider said.
 * Times are epoch ms.
 */
export interface ScimLink {
  accountUserId: string;
  /** The identity provider's own id for the user (RFC 7643: set by the client, echoed). */
  externalId?: string | undefined;
  /** When the identity provider linked the user with POST; absent: not linked yet. */
  linkedAt?: number | undefined;
  /** The state the identity provider last asked for, and when the event saying so was sent. */
  decided?: { active: boolean; at: number } | undefined;
  /** DELETE: the user answers 404 and is left out of listings until a POST links it again. */
  deprovisioned?: boolean | undefined;
}

/** Linked by a POST and not deleted since: a second POST is a `uniqueness` conflict. */
export function isLinked(link: ScimLink | undefined): boolean {
  return link?.linkedAt !== undefined && link.deprovisioned !== true;
}

/** Deleted over SCIM: not a resource any more (RFC 7644 §3.6). */
export function isDeprovisioned(link: ScimLink | undefined): boolean {
  return link?.deprovisioned === true;
}

/**
 * `active` as SCIM shows it: the state the product decided for the person, so an identity
 * provider reading back right after a PATCH sees what it asked for, whatever the platform
 * says while the change waits in the queue or out an outage.
 *   1. The link's decision, unless the ledger applied a decision of the person made at the
 *      same time or later (an HR event, or the SCIM event itself once applied).
 *   2. Else the person's decision the ledger applied last.
 *   3. Else the account platform's `enabled`: nothing was decided for this person yet.
 */
export function decidedActive(parts: {
  link: ScimLink | undefined;
  person: PersonRecord | undefined;
  platformEnabled: boolean;
}): boolean {
  const { link, person, platformEnabled } = parts;
  const applied = person?.newestApplied;
  const appliedAt = applied?.decidedAt ?? applied?.time;
  if (link?.decided !== undefined && (appliedAt === undefined || appliedAt < link.decided.at)) {
    return link.decided.active;
  }
  if (person?.desiredEnabled !== undefined) return person.desiredEnabled;
  return platformEnabled;
}
