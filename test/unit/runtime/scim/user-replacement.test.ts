import { describe, expect, it } from "vitest";
import {
  readUserCreation,
  readUserReplacement,
} from "../../../../shared/runtime/scim/user-replacement.ts";
import { scimRefusal } from "../../../support/scim-refusal.ts";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";

describe("readUserReplacement", () => {
  it("reads Okta's whole-user PUT, ignoring what the product does not keep", () => {
    expect(
      readUserReplacement({
        schemas: [USER],
        id: "u-1",
        userName: "jdoe@example.com",
        externalId: "00u1",
        name: { givenName: "Jane", familyName: "Doe" },
        emails: [{ value: "jdoe@example.com", primary: true }],
        active: false,
        groups: [],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: "x" },
      }),
    ).toEqual({ userName: "jdoe@example.com", externalId: "00u1", active: false });
  });

  it('reads Entra\'s string booleans: "False" is false', () => {
    expect(readUserReplacement({ userName: "j", active: "False" })).toEqual({
      userName: "j",
      active: false,
    });
    expect(readUserReplacement({ userName: "j", active: "TRUE" }).active).toBe(true);
  });

  it("takes names in any case and with the core schema's URN; a null externalId is none", () => {
    expect(
      readUserReplacement({
        UserName: "j",
        [`${USER}:active`]: false,
        externalId: null,
      }),
    ).toEqual({ userName: "j", active: false });
    expect(readUserReplacement({})).toEqual({});
  });

  it("refuses a body that is not an object (invalidSyntax) and wrong types (invalidValue)", () => {
    expect(scimRefusal(() => readUserReplacement(null)).scimType).toBe("invalidSyntax");
    expect(scimRefusal(() => readUserReplacement([{ active: false }])).scimType).toBe(
      "invalidSyntax",
    );
    expect(scimRefusal(() => readUserReplacement({ active: "no" })).scimType).toBe("invalidValue");
    expect(scimRefusal(() => readUserReplacement({ active: 0 })).scimType).toBe("invalidValue");
    expect(scimRefusal(() => readUserReplacement({ userName: 5 })).scimType).toBe("invalidValue");
    expect(scimRefusal(() => readUserReplacement({ userName: " " })).scimType).toBe("invalidValue");
    expect(scimRefusal(() => readUserReplacement({ externalId: {} })).scimType).toBe(
      "invalidValue",
    );
  });
});

describe("readUserCreation", () => {
  it("reads a POST, active true unless given", () => {
    expect(readUserCreation({ schemas: [USER], userName: "jdoe" })).toEqual({
      userName: "jdoe",
      active: true,
    });
    expect(readUserCreation({ userName: "jdoe", active: "False", externalId: "e" })).toEqual({
      userName: "jdoe",
      active: false,
      externalId: "e",
    });
  });

  it("refuses a POST without userName with 400 invalidValue", () => {
    const error = scimRefusal(() => readUserCreation({ active: true, externalId: "e" }));
    expect([error.status, error.scimType, error.message]).toEqual([
      400,
      "invalidValue",
      "userName is required",
    ]);
  });
});
