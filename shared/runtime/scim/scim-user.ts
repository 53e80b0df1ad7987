import { OSIS_USER_EXTENSION_SCHEMA, USER_SCHEMA } from "./scim-media.ts";

/**
 * A person as the SCIM endpoint shows them: the account platform user (`id`, login as
 * `userName`, the contact's names and email), the state the product has decided (`active`),
 * the identity provider's `externalId` kept on the link, and the OSIS user alongside (absent:
 * no OSIS user has this login as its `cd_user_id`).
 */
export interface ScimUserView {
  id: string;
  userName: string;
  externalId?: string;
  givenName?: string;
  familyName?: string;
  email?: string;
  active: boolean;
  /** ISO 8601 instants, when known. */
  created?: string;
  lastModified?: string;
  osis?: { userId: string; active: boolean } | undefined;
}

/** The SCIM User resource (RFC 7643 §4.1) of a view; attributes without a value are left out. */
export function toScimUser(view: ScimUserView, baseUrl: string): object {
  const name = {
    ...(view.givenName === undefined ? {} : { givenName: view.givenName }),
    ...(view.familyName === undefined ? {} : { familyName: view.familyName }),
  };
  return {
    schemas: view.osis === undefined ? [USER_SCHEMA] : [USER_SCHEMA, OSIS_USER_EXTENSION_SCHEMA],
    id: view.id,
    ...(view.externalId === undefined ? {} : { externalId: view.externalId }),
    userName: view.userName,
    ...(Object.keys(name).length === 0 ? {} : { name }),
    ...(view.email === undefined ? {} : { emails: [{ value: view.email, primary: true }] }),
    active: view.active,
    meta: {
      resourceType: "User",
      location: userLocation(baseUrl, view.id),
      ...(view.created === undefined ? {} : { created: view.created }),
      ...(view.lastModified === undefined ? {} : { lastModified: view.lastModified }),
    },
    ...(view.osis === undefined
      ? {}
      : { [OSIS_USER_EXTENSION_SCHEMA]: { userId: view.osis.userId, active: view.osis.active } }),
  };
}

/** The resource's URL: `{baseUrl}/Users/{id}`, whatever characters the id holds. */
export function userLocation(baseUrl: string, id: string): string {
  return `${withoutTrailingSlash(baseUrl)}/Users/${encodeURIComponent(id)}`;
}

export function withoutTrailingSlash(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "");
}
