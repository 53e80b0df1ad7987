import { ScimRequestError } from "../errors/scim-request-error.ts";
import { USER_SCHEMA } from "./scim-media.ts";

/**
 * The User attributes the product reads from a request, wherever they come from (a PUT or POST
 * body, a PATCH operation's value). `externalId: null`: the client unassigned it.
 */
export interface UserAttributes {
  userName?: string;
  active?: boolean;
  externalId?: string | null;
}

/** An attribute's name as compared: without the core User schema's URN, in lower case. */
export function attributeName(key: string): string {
  const name = key.toLowerCase();
  const prefix = `${USER_SCHEMA.toLowerCase()}:`;
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/**
 * 1. Names are case-insensitive and may carry the core schema's URN (`urn:…:User:active`).
 * 2. An object under the core schema's URN is read as attributes of its own (Entra's form),
 *    one level deep: such an object inside it is ignored, so no body can nest it without end.
 * 3. Attributes the product does not keep (`name.givenName`, `emails`, extensions…) are ignored.
 */
export function readUserAttributes(
  object: Readonly<Record<string, unknown>>,
  nested = false,
): UserAttributes {
  const attributes: UserAttributes = {};
  for (const [key, value] of Object.entries(object)) {
    const name = attributeName(key);
    if (name === USER_SCHEMA.toLowerCase()) {
      if (!nested && isObject(value)) Object.assign(attributes, readUserAttributes(value, true));
    } else if (name === "username") {
      attributes.userName = readUserName(value);
    } else if (name === "active") {
      attributes.active = readBoolean(value);
    } else if (name === "externalid") {
      attributes.externalId = readExternalId(value);
    }
  }
  return attributes;
}

/**
 * `true`/`false`, or the strings `"True"`/`"False"` in any case, which Microsoft Entra sends.
 * The string is compared, never coerced: `"False"` is truthy in JavaScript.
 */
export function readBoolean(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && ["true", "false"].includes(value.toLowerCase())) {
    return value.toLowerCase() === "true";
  }
  throw new ScimRequestError(
    400,
    "invalidValue",
    `active must be a boolean (true or false), not ${shown(value)}`,
  );
}

/** A refused value as the answer shows it: a string cut short, anything else by its type. */
function shown(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.slice(0, 40));
  if (value === null || typeof value !== "object") return String(value);
  return Array.isArray(value) ? "an array" : "an object";
}

/** A string; null or an empty string unassigns it (RFC 7644 §3.5.2.3, replace with null). */
export function readExternalId(value: unknown): string | null {
  if (value === null || value === "") return null;
  if (typeof value === "string") return value;
  throw new ScimRequestError(400, "invalidValue", "externalId must be a string");
}

function readUserName(value: unknown): string {
  if (typeof value === "string" && value.trim() !== "") return value;
  throw new ScimRequestError(400, "invalidValue", "userName must be a non-empty string");
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The body as an object, or 400 `invalidSyntax` naming what was expected. */
export function bodyObject(body: unknown, expected: string): Record<string, unknown> {
  if (isObject(body)) return body;
  throw new ScimRequestError(400, "invalidSyntax", `The body must be ${expected} (a JSON object)`);
}
