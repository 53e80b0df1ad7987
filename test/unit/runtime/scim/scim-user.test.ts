import { describe, expect, it } from "vitest";
import { toScimUser } from "../../../../shared/runtime/scim/scim-user.ts";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const OSIS = "urn:hr-lifecycle-sync:params:scim:schemas:extension:osis:2.0:User";

describe("toScimUser", () => {
  it("shows every attribute Okta's test reads, the OSIS user in the extension", () => {
    expect(
      toScimUser(
        {
          id: "u-1",
          userName: "jdoe",
          externalId: "00u1",
          givenName: "Jane",
          familyName: "Doe",
          email: "jdoe@example.com",
          active: false,
          created: "2026-01-02T03:04:05.000Z",
          lastModified: "2026-02-03T04:05:06.000Z",
          osis: { userId: "o-9", active: false },
        },
        "https://api.example.com/prod/scim/v2/",
      ),
    ).toEqual({
      schemas: [USER, OSIS],
      id: "u-1",
      externalId: "00u1",
      userName: "jdoe",
      name: { givenName: "Jane", familyName: "Doe" },
      emails: [{ value: "jdoe@example.com", primary: true }],
      active: false,
      meta: {
        resourceType: "User",
        location: "https://api.example.com/prod/scim/v2/Users/u-1",
        created: "2026-01-02T03:04:05.000Z",
        lastModified: "2026-02-03T04:05:06.000Z",
      },
      [OSIS]: { userId: "o-9", active: false },
    });
  });

  it("leaves out what is not known, and the extension without an OSIS user", () => {
    expect(
      toScimUser({ id: "a/b c", userName: "x", active: true }, "http://127.0.0.1:3000/scim/v2"),
    ).toEqual({
      schemas: [USER],
      id: "a/b c",
      userName: "x",
      active: true,
      meta: { resourceType: "User", location: "http://127.0.0.1:3000/scim/v2/Users/a%2Fb%20c" },
    });
  });

  it("shows a name with only one part", () => {
    expect(
      toScimUser({ id: "u", userName: "x", active: true, familyName: "Doe" }, ""),
    ).toMatchObject({ name: { familyName: "Doe" } });
  });
});
