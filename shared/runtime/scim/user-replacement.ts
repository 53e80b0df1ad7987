import { ScimRequestError } from "../errors/scim-request-error.ts";
import { bodyObject, readUserAttributes } from "./user-attributes.ts";

/** What a PUT or POST body says of what the product keeps (undefined: not given). */
export interface UserReplacement {
  userName?: string;
  active?: boolean;
  externalId?: string;
}

export interface UserCreation {
  userName: string;
  active: boolean;
  externalId?: string;
}

/**
 * A PUT's whole User (RFC 7644 §3.5.1): `userName`, `active` (a boolean or Entra's
 * `"True"`/`"False"`) and `externalId` (null: none) are read, names in any case; every other
 * attribute is ignored.
 */
export function readUserReplacement(body: unknown): UserReplacement {
  const { userName, active, externalId } = readUserAttributes(bodyObject(body, "a User"));
  return {
    ...(userName === undefined ? {} : { userName }),
    ...(active === undefined ? {} : { active }),
    ...(externalId == null ? {} : { externalId }),
  };
}

/** A POST's User: as a PUT's, with `userName` required and `active` true unless given. */
export function readUserCreation(body: unknown): UserCreation {
  const { userName, active = true, externalId } = readUserReplacement(body);
  if (userName === undefined) {
    throw new ScimRequestError(400, "invalidValue", "userName is required");
  }
  return { userName, active, ...(externalId === undefined ? {} : { externalId }) };
}
