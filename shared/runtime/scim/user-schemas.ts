import { OSIS_USER_EXTENSION_SCHEMA, USER_SCHEMA } from "./scim-media.ts";

/**
 * The schemas (RFC 7643 §7) of what the endpoint serves, and nothing more: the core User
 * schema cut to the attributes it serves, and the OSIS extension. `id`, `externalId` and
 * `meta` are common attributes (RFC 7643 §3.1), defined by no schema.
 */

type Mutability = "readOnly" | "readWrite" | "immutable";

interface AttributeDefinition {
  name: string;
  type: "string" | "boolean" | "complex";
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: "default";
  uniqueness: "none" | "server";
  subAttributes?: AttributeDefinition[];
}

function attribute(
  name: string,
  type: AttributeDefinition["type"],
  mutability: Mutability,
  description: string,
  more: Partial<AttributeDefinition> = {},
): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability,
    returned: "default",
    uniqueness: "none",
    ...more,
  };
}

const USER_ATTRIBUTES: AttributeDefinition[] = [
  attribute(
    "userName",
    "string",
    "immutable",
    "The account's login on the account platform; compared case-insensitively.",
    { required: true, uniqueness: "server" },
  ),
  attribute("name", "complex", "readOnly", "The person's name, from the account's contact.", {
    subAttributes: [
      attribute("givenName", "string", "readOnly", "Given name."),
      attribute("familyName", "string", "readOnly", "Family name."),
    ],
  }),
  attribute("emails", "complex", "readOnly", "The contact's email address.", {
    multiValued: true,
    subAttributes: [
      attribute("value", "string", "readOnly", "The email address."),
      attribute("primary", "boolean", "readOnly", "Always true: the contact has one address."),
    ],
  }),
  attribute(
    "active",
    "boolean",
    "readWrite",
    "The state the product has decided for the person: false deprovisions the account and the OSIS user, true restores them.",
  ),
];

const OSIS_ATTRIBUTES: AttributeDefinition[] = [
  attribute("userId", "string", "readOnly", "The OSIS user's id.", { caseExact: true }),
  attribute("active", "boolean", "readOnly", "Whether the OSIS user is active."),
];

export interface SchemaDefinition {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDefinition[];
}

export const SERVED_SCHEMAS: readonly SchemaDefinition[] = [
  { id: USER_SCHEMA, name: "User", description: "User Account", attributes: USER_ATTRIBUTES },
  {
    id: OSIS_USER_EXTENSION_SCHEMA,
    name: "OsisUser",
    description:
      "The OSIS user whose cd_user_id is the account's login, as the OSIS tenant has it (read-only).",
    attributes: OSIS_ATTRIBUTES,
  },
];
