import {
  OSIS_USER_EXTENSION_SCHEMA,
  RESOURCE_TYPE_SCHEMA,
  SCHEMA_SCHEMA,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
  USER_SCHEMA,
} from "./scim-media.ts";
import { listResponse, MAX_PAGE_SIZE } from "./scim-paging.ts";
import { withoutTrailingSlash } from "./scim-user.ts";
import { type SchemaDefinition, SERVED_SCHEMAS } from "./user-schemas.ts";

/**
 * The discovery endpoints (RFC 7644 §4): what the endpoint serves, and only that. Users only
 * (no Groups), PATCH yes, bulk, sort, ETags and password changes no, filters up to
 * MAX_PAGE_SIZE results, a bearer token.
 */

/** `GET /ServiceProviderConfig` (RFC 7643 §5). */
export function serviceProviderConfig(baseUrl: string): object {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE_SIZE },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "Bearer token",
        description: "A token of the SCIM token secret, sent as Authorization: Bearer <token>.",
        primary: true,
      },
    ],
    meta: {
      resourceType: "ServiceProviderConfig",
      location: `${withoutTrailingSlash(baseUrl)}/ServiceProviderConfig`,
    },
  };
}

/** `GET /ResourceTypes`: User only. */
export function resourceTypes(baseUrl: string): object {
  return listResponse([userResourceType(baseUrl)], 1, 1);
}

/** `GET /ResourceTypes/{id}`: undefined (404) for any but `User`. */
export function resourceTypeById(baseUrl: string, id: string): object | undefined {
  return id === "User" ? userResourceType(baseUrl) : undefined;
}

/** `GET /Schemas`: the core User schema as served, and the OSIS extension. */
export function schemas(baseUrl: string): object {
  const served = SERVED_SCHEMAS.map((schema) => schemaResource(baseUrl, schema));
  return listResponse(served, served.length, 1);
}

/** `GET /Schemas/{urn}`: undefined (404) for a schema not served. URNs compare in any case. */
export function schemaById(baseUrl: string, urn: string): object | undefined {
  const schema = SERVED_SCHEMAS.find(({ id }) => id.toLowerCase() === urn.toLowerCase());
  return schema === undefined ? undefined : schemaResource(baseUrl, schema);
}

function userResourceType(baseUrl: string): object {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: "User",
    name: "User",
    endpoint: "/Users",
    description: "An account of the account platform's tenant, with its OSIS user",
    schema: USER_SCHEMA,
    schemaExtensions: [{ schema: OSIS_USER_EXTENSION_SCHEMA, required: false }],
    meta: {
      resourceType: "ResourceType",
      location: `${withoutTrailingSlash(baseUrl)}/ResourceTypes/User`,
    },
  };
}

function schemaResource(baseUrl: string, schema: SchemaDefinition): object {
  return {
    schemas: [SCHEMA_SCHEMA],
    ...schema,
    meta: {
      resourceType: "Schema",
      location: `${withoutTrailingSlash(baseUrl)}/Schemas/${schema.id}`,
    },
  };
}
