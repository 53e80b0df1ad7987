import { describe, expect, it } from "vitest";
import { scimErrorBody } from "../../../../shared/runtime/scim/scim-error-body.ts";

describe("scimErrorBody", () => {
  it("writes RFC 7644's error body, status as a string", () => {
    expect(scimErrorBody(400, "invalidFilter", "Unsupported filter")).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "400",
      scimType: "invalidFilter",
      detail: "Unsupported filter",
    });
  });

  it("leaves scimType out when the refusal has none", () => {
    const body = scimErrorBody(404, undefined, "No user u-1");
    expect(body).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "404",
      detail: "No user u-1",
    });
    expect(JSON.stringify(body)).not.toContain("scimType");
  });
});
