import { ScimRequestError } from "../errors/scim-request-error.ts";
import { memberOf } from "./case-insensitive-member.ts";
import { PATCH_OP_SCHEMA } from "./scim-media.ts";
import {
  attributeName,
  bodyObject,
  isObject,
  readBoolean,
  readExternalId,
  readUserAttributes,
} from "./user-attributes.ts";

/**
 * What a PATCH changes of what the product keeps. Nothing set: the PATCH touched only
 * attributes the product does not keep (answered with the user as it is).
 * `externalIdRemoved`: the client unassigned its externalId (never set with `externalId`).
 */
export interface UserChange {
  active?: boolean;
  externalId?: string;
  externalIdRemoved?: true;
}

type Op = "add" | "replace" | "remove";
const OPS: ReadonlySet<string> = new Set<Op>(["add", "replace", "remove"]);

/**
 * A PatchOp message (RFC 7644 §3.5.2) read as the change it makes, operations in order:
 * 1. The body names the PatchOp schema and has a non-empty `Operations` array, else 400
 *    `invalidSyntax`.
 * 2. `op` in any case (Entra writes `Replace`, `Add`); `add` of a single-valued attribute is a
 *    replace.
 * 3. Without a path, the value is an object of attributes (Okta's
 *    `{"op":"replace","value":{"active":false}}`), its keys plain, dotted or URN-prefixed.
 * 4. `active` takes a boolean or Entra's `"True"`/`"False"` string; anything else is 400
 *    `invalidValue`. It cannot be removed (400 `mutability`): a person is active or not.
 * 5. `externalId` is replaced, or removed (`remove`, or replaced with null).
 * 6. Attributes the product does not keep are ignored, never refused.
 * 7. A later operation overrides an earlier one.
 */
export function readUserPatch(body: unknown): UserChange {
  const change: UserChange = {};
  operationsOf(bodyObject(body, "a PatchOp message")).forEach((operation, index) => {
    applyOperation(change, readOperation(operation, index));
  });
  return change;
}

interface Operation {
  op: Op;
  path: string | undefined;
  value: unknown;
  index: number;
}

function operationsOf(message: Record<string, unknown>): unknown[] {
  const schemas = memberOf(message, "schemas");
  const named =
    Array.isArray(schemas) &&
    schemas.some((schema) => String(schema).toLowerCase() === PATCH_OP_SCHEMA.toLowerCase());
  if (!named) throw invalidSyntax(`schemas must include "${PATCH_OP_SCHEMA}"`);
  const operations = memberOf(message, "Operations");
  if (!Array.isArray(operations) || operations.length === 0) {
    throw invalidSyntax("Operations must be a non-empty array");
  }
  return operations;
}

function readOperation(operation: unknown, index: number): Operation {
  if (!isObject(operation)) throw invalidSyntax(`Operations[${index}] must be an object`);
  const op = memberOf(operation, "op");
  const path = memberOf(operation, "path");
  if (typeof op !== "string" || !OPS.has(op.toLowerCase())) {
    throw invalidSyntax(`Operations[${index}].op must be add, replace or remove`);
  }
  if (path !== undefined && typeof path !== "string") {
    throw invalidSyntax(`Operations[${index}].path must be a string`);
  }
  return {
    op: op.toLowerCase() as Op,
    path: path?.trim() || undefined,
    value: memberOf(operation, "value"),
    index,
  };
}

function applyOperation(change: UserChange, { op, path, value, index }: Operation): void {
  if (path === undefined) {
    if (op === "remove") {
      throw new ScimRequestError(400, "noTarget", `Operations[${index}]: remove needs a path`);
    }
    if (!isObject(value)) {
      throw invalidSyntax(`Operations[${index}] has no path, so its value must be an object`);
    }
    const { active, externalId } = readUserAttributes(value);
    if (active !== undefined) change.active = active;
    if (externalId !== undefined) setExternalId(change, externalId);
    return;
  }
  const name = attributeName(path);
  if (name === "active") {
    if (op === "remove") {
      throw new ScimRequestError(400, "mutability", "active cannot be removed, only set");
    }
    change.active = readBoolean(value);
  } else if (name === "externalid") {
    setExternalId(change, op === "remove" ? null : readExternalId(value));
  } else if (/^(active|externalid)[.[]/.test(name)) {
    throw new ScimRequestError(400, "invalidPath", `${path}: the attribute has no sub-attributes`);
  }
}

function setExternalId(change: UserChange, externalId: string | null): void {
  delete change.externalId;
  delete change.externalIdRemoved;
  if (externalId === null) change.externalIdRemoved = true;
  else change.externalId = externalId;
}

function invalidSyntax(detail: string): ScimRequestError {
  return new ScimRequestError(400, "invalidSyntax", `Invalid PatchOp message: ${detail}`);
}
