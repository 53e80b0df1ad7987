import { ScimRequestError } from "../errors/scim-request-error.ts";
import { isSafePlatformId } from "../events/event-field-rules.ts";
import { listResponse, readPaging } from "../scim/scim-paging.ts";
import { toScimUser, userLocation } from "../scim/scim-user.ts";
import { parseUserFilter, satisfiesUserFilter, type UserFilter } from "../scim/user-filter.ts";
import { readUserPatch } from "../scim/user-patch.ts";
import { readUserCreation, readUserReplacement } from "../scim/user-replacement.ts";
import type { ScimDirectory, ScimPerson } from "./scim-directory.ts";
import { isDeprovisioned } from "./scim-link.ts";
import { type ScimRequest, scimResponse } from "./scim-request.ts";
import type { ScimUserChanges } from "./scim-user-changes.ts";
import { scimUserView } from "./scim-view.ts";

export interface ScimUserOperationsDependencies {
  directory: ScimDirectory;
  changes: ScimUserChanges;
}

/** What one User operation is given: the request, its parsed body (if any) and the deadline. */
export interface UserOperationContext {
  request: ScimRequest;
  body: unknown;
  signal: AbortSignal;
  deps: ScimUserOperationsDependencies;
}

/** `GET /Users`: a filter's match (0 or 1 user) or a page of the tenant's users. */
export async function listUsers({ request, signal, deps }: UserOperationContext) {
  const filter = parseUserFilter(request.query.filter);
  const { startIndex, count } = readPaging(request.query);
  if (filter === undefined) {
    const page = await deps.directory.page(startIndex, count, signal);
    const resources = page.people.map((person) => resourceOf(person, request));
    return scimResponse(200, listResponse(resources, page.total, startIndex));
  }
  const matches = await filtered(filter, deps.directory, signal);
  const resources = matches
    .slice(startIndex - 1, startIndex - 1 + count)
    .map((person) => resourceOf(person, request));
  return scimResponse(200, listResponse(resources, matches.length, startIndex));
}

/** `GET /Users/{id}`. */
export async function getUser(context: UserOperationContext, id: string) {
  const person = await existing(context, id, "read");
  return scimResponse(200, resourceOf(person, context.request));
}

/** `POST /Users`: links the account with that login (accounts are created on the platform). */
export async function createUser({ request, body, signal, deps }: UserOperationContext) {
  const creation = readUserCreation(body);
  const id = await deps.directory.idOfLogin(creation.userName, signal);
  const person = id === undefined ? undefined : await deps.directory.read(id, signal, "change");
  if (person === undefined) {
    throw new ScimRequestError(
      400,
      "invalidValue",
      `No account has the login ${creation.userName}: accounts are created on the account platform, and SCIM links them (turn the identity provider's "create users" off)`,
    );
  }
  const linked = await deps.changes.link(person, creation);
  return scimResponse(201, resourceOf(linked, request), {
    location: userLocation(request.baseUrl, linked.account.id),
  });
}

/** `PUT /Users/{id}`: `active` and `externalId` are kept; userName is the platform's login. */
export async function replaceUser(context: UserOperationContext, id: string) {
  const replacement = readUserReplacement(context.body);
  let person = await existing(context, id, "change");
  if (replacement.externalId !== undefined) {
    person = await context.deps.changes.setExternalId(person, replacement.externalId);
  }
  person = await context.deps.changes.decide(person, replacement.active, "SCIM PUT /Users");
  return scimResponse(200, resourceOf(person, context.request));
}

/** `PATCH /Users/{id}`: Okta's no-path and Entra's path forms alike (user-patch.ts). */
export async function patchUser(context: UserOperationContext, id: string) {
  const change = readUserPatch(context.body);
  let person = await existing(context, id, "change");
  if (change.externalId !== undefined || change.externalIdRemoved) {
    person = await context.deps.changes.setExternalId(person, change.externalId ?? null);
  }
  person = await context.deps.changes.decide(person, change.active, "SCIM PATCH /Users");
  return scimResponse(200, resourceOf(person, context.request));
}

/** `DELETE /Users/{id}`: deprovisions (disables, never deletes); 404 from then on. */
export async function deleteUser(context: UserOperationContext, id: string) {
  await context.deps.changes.deprovision(await existing(context, id, "change"));
  return scimResponse(204, undefined);
}

/** The user, or 404: none in the tenant, or deleted over SCIM (RFC 7644 §3.6). */
async function existing(
  { deps, signal }: UserOperationContext,
  id: string,
  purpose: "read" | "change",
): Promise<ScimPerson> {
  const person = isSafePlatformId(id) ? await deps.directory.read(id, signal, purpose) : undefined;
  if (person === undefined || isDeprovisioned(person.link)) {
    throw new ScimRequestError(404, undefined, `No user ${id}`);
  }
  return person;
}

/**
 * A filter's users: looked up by id, else login, else the externalId the link holds, then
 * held to every comparison of the filter. A user deleted over SCIM matches nothing.
 */
async function filtered(
  filter: UserFilter,
  directory: ScimDirectory,
  signal: AbortSignal,
): Promise<ScimPerson[]> {
  if (filter.matchesNone) return [];
  const id =
    filter.id ??
    (filter.userName !== undefined
      ? await directory.idOfLogin(filter.userName, signal)
      : filter.externalId !== undefined
        ? await directory.idOfExternalId(filter.externalId)
        : undefined);
  const person =
    id === undefined || !isSafePlatformId(id) ? undefined : await directory.read(id, signal);
  const matches =
    person !== undefined &&
    !isDeprovisioned(person.link) &&
    satisfiesUserFilter(filter, {
      id: person.account.id,
      userName: person.account.login,
      externalId: person.link?.externalId,
    });
  return matches ? [person] : [];
}

function resourceOf(person: ScimPerson, request: ScimRequest): object {
  return toScimUser(scimUserView(person), request.baseUrl);
}
