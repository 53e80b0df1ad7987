import { isOsisUserActive } from "../platforms/osis/osis.ts";
import type { ScimUserView } from "../scim/scim-user.ts";
import type { ScimPerson } from "./scim-directory.ts";
import { decidedActive } from "./scim-link.ts";

/**
 * A person as the SCIM User resource shows them: the account platform's login, names and email,
 * the identity provider's externalId from the link, `active` as the product decided it
 * (scim-link.ts), and the OSIS user's state beside it. `lastModified` is the latest of what
 * the product knows changed: the link, the person's ledger record, the account's creation.
 */
export function scimUserView(person: ScimPerson): ScimUserView {
  const { account, link, osis } = person;
  const contact = account.contact ?? {};
  const created = isoOf(account.created_at);
  const changes = [
    link?.decided?.at,
    link?.linkedAt,
    person.person?.updatedAt,
    created === undefined ? undefined : Date.parse(created),
  ].filter((at): at is number => at !== undefined && Number.isFinite(at));
  return {
    id: account.id,
    userName: account.login,
    ...(link?.externalId === undefined ? {} : { externalId: link.externalId }),
    ...(textOf(contact.firstname) === undefined ? {} : { givenName: textOf(contact.firstname) }),
    ...(textOf(contact.lastname) === undefined ? {} : { familyName: textOf(contact.lastname) }),
    ...(textOf(contact.email) === undefined ? {} : { email: textOf(contact.email) }),
    active: decidedActive({ link, person: person.person, platformEnabled: account.enabled }),
    ...(created === undefined ? {} : { created }),
    ...(changes.length === 0 ? {} : { lastModified: new Date(Math.max(...changes)).toISOString() }),
    osis:
      osis === undefined
        ? undefined
        : { userId: osis.user.user_id ?? osis.userId, active: isOsisUserActive(osis.user) },
  };
}

function textOf(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The platform's `created_at` as an ISO instant, when it is a date at all. */
function isoOf(value: unknown): string | undefined {
  if (typeof value !== "string" && typeof value !== "number") return undefined;
  const at = new Date(value);
  return Number.isFinite(at.getTime()) ? at.toISOString() : undefined;
}
