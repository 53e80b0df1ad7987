import { describe, expect, it } from "vitest";
import {
  resourceTypeById,
  resourceTypes,
  schemaById,
  schemas,
  serviceProviderConfig,
} from "../../../../shared/runtime/scim/discovery.ts";

const BASE = "https://api.example.com/prod/scim/v2";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const OSIS = "urn:hr-lifecycle-sync:params:scim:schemas:extension:osis:2.0:User";

describe("serviceProviderConfig", () => {
  it("says what is served: patch and filters up to 100, no bulk, sort, etag or password, a bearer token", () => {
    expect(serviceProviderConfig(`${BASE}/`)).toMatchObject({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: 100 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [{ type: "oauthbearertoken", primary: true }],
      meta: { resourceType: "ServiceProviderConfig", location: `${BASE}/ServiceProviderConfig` },
    });
  });
});

describe("resourceTypes", () => {
  it("lists User only, with the OSIS extension", () => {
    const list = resourceTypes(BASE) as { totalResults: number; Resources: object[] };
    expect(list).toMatchObject({ totalResults: 1, itemsPerPage: 1, startIndex: 1 });
    expect(list.Resources).toEqual([resourceTypeById(BASE, "User")]);
    expect(list.Resources[0]).toMatchObject({
      id: "User",
      endpoint: "/Users",
      schema: USER,
      schemaExtensions: [{ schema: OSIS, required: false }],
      meta: { resourceType: "ResourceType", location: `${BASE}/ResourceTypes/User` },
    });
  });

  it("knows no Group", () => {
    expect(resourceTypeById(BASE, "Group")).toBeUndefined();
  });
});

describe("schemas", () => {
  it("serves the core User schema cut to what is served, and the extension", () => {
    const list = schemas(BASE) as {
      totalResults: number;
      Resources: Array<Record<string, unknown>>;
    };
    expect(list.totalResults).toBe(2);
    expect(list.Resources.map((schema) => schema.id)).toEqual([USER, OSIS]);
    const user = list.Resources[0] as { attributes: Array<{ name: string; mutability: string }> };
    expect(user.attributes.map(({ name }) => name)).toEqual([
      "userName",
      "name",
      "emails",
      "active",
    ]);
    expect(user.attributes.find(({ name }) => name === "active")?.mutability).toBe("readWrite");
    expect(list.Resources[1]).toMatchObject({
      attributes: [
        { name: "userId", mutability: "readOnly" },
        { name: "active", mutability: "readOnly" },
      ],
      meta: { resourceType: "Schema", location: `${BASE}/Schemas/${OSIS}` },
    });
  });

  it("finds a schema by its URN in any case, and no other", () => {
    expect(schemaById(BASE, USER.toLowerCase())).toEqual(
      (schemas(BASE) as { Resources: object[] }).Resources[0],
    );
    expect(schemaById(BASE, "urn:ietf:params:scim:schemas:core:2.0:Group")).toBeUndefined();
  });
});
