import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ScimRequestError } from "../../../../shared/runtime/errors/scim-request-error.ts";
import { PATCH_OP_SCHEMA } from "../../../../shared/runtime/scim/scim-media.ts";
import { readUserPatch } from "../../../../shared/runtime/scim/user-patch.ts";
import { scimRefusal } from "../../../support/scim-refusal.ts";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations });
const refusal = (body: unknown) => scimRefusal(() => readUserPatch(body));

describe("readUserPatch", () => {
  it("reads Okta's deactivation: replace with no path", () => {
    expect(readUserPatch(patch({ op: "replace", value: { active: false } }))).toEqual({
      active: false,
    });
  });

  it('reads Entra\'s deactivation: "Replace" with the string "False", which must not count as true', () => {
    expect(readUserPatch(patch({ op: "Replace", path: "active", value: "False" }))).toEqual({
      active: false,
    });
    expect(readUserPatch(patch({ op: "Replace", path: "active", value: "True" }))).toEqual({
      active: true,
    });
    expect(readUserPatch(patch({ op: "replace", path: "active", value: "fALSE" }))).toEqual({
      active: false,
    });
    expect(readUserPatch(patch({ op: "replace", path: "active", value: false }))).toEqual({
      active: false,
    });
  });

  it("takes ops in any case, and add as replace", () => {
    for (const op of ["add", "Add", "ADD", "replace", "REPLACE"]) {
      expect(readUserPatch(patch({ op, path: "active", value: true })), op).toEqual({
        active: true,
      });
    }
  });

  it("reads no-path values with URN-prefixed, dotted and nested keys, ignoring what is not kept", () => {
    expect(
      readUserPatch(
        patch({
          op: "Replace",
          value: {
            "urn:ietf:params:scim:schemas:core:2.0:User:active": "False",
            "name.givenName": "Jane",
            'emails[type eq "work"].value': "j@example.com",
            displayName: "Jane Doe",
          },
        }),
      ),
    ).toEqual({ active: false });
    expect(
      readUserPatch(
        patch({
          op: "add",
          value: { "urn:ietf:params:scim:schemas:core:2.0:User": { Active: false } },
        }),
      ),
    ).toEqual({ active: false });
  });

  it("reads the core schema's object one level deep only, so no nesting can exhaust the stack", () => {
    let deep: Record<string, unknown> = { active: false };
    for (let level = 0; level < 100_000; level += 1) deep = { [USER]: deep };
    expect(readUserPatch(patch({ op: "replace", value: deep }))).toEqual({});
    expect(
      readUserPatch(patch({ op: "replace", value: { [USER]: { [USER]: { active: false } } } })),
    ).toEqual({});
  });

  it("takes a path with the core schema's URN, in any case", () => {
    expect(
      readUserPatch(
        patch({
          op: "replace",
          path: "urn:ietf:params:scim:schemas:core:2.0:User:Active",
          value: "false",
        }),
      ),
    ).toEqual({ active: false });
  });

  it("ignores attributes the product does not keep, never refusing them", () => {
    expect(
      readUserPatch(
        patch(
          { op: "Add", path: "name.givenName", value: "Jane" },
          { op: "Replace", path: 'emails[type eq "work"].value', value: "j@example.com" },
          { op: "Remove", path: "title" },
          { op: "replace", path: "userName", value: "renamed" },
          {
            op: "add",
            path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
            value: "m",
          },
        ),
      ),
    ).toEqual({});
  });

  it("replaces and removes externalId, the last operation winning", () => {
    expect(readUserPatch(patch({ op: "add", path: "externalId", value: "e-1" }))).toEqual({
      externalId: "e-1",
    });
    expect(readUserPatch(patch({ op: "add", value: { externalId: "e-1", active: true } }))).toEqual(
      { externalId: "e-1", active: true },
    );
    expect(readUserPatch(patch({ op: "remove", path: "externalId" }))).toEqual({
      externalIdRemoved: true,
    });
    expect(readUserPatch(patch({ op: "replace", path: "externalId", value: null }))).toEqual({
      externalIdRemoved: true,
    });
    expect(
      readUserPatch(
        patch(
          { op: "remove", path: "externalId" },
          { op: "replace", path: "externalId", value: "e-2" },
          { op: "replace", path: "active", value: "False" },
          { op: "replace", path: "active", value: "True" },
        ),
      ),
    ).toEqual({ externalId: "e-2", active: true });
  });

  it("takes the message's member names in any case", () => {
    expect(
      readUserPatch({
        schemas: [PATCH_OP_SCHEMA.toUpperCase()],
        operations: [{ OP: "Replace", Path: "active", Value: "False" }],
      }),
    ).toEqual({ active: false });
  });

  it.each([
    ["a string", "yes"],
    ["a number", 0],
    ["null", null],
    ["a string that is not a boolean", "no"],
    ["an object", { value: false }],
  ])("refuses active as %s with 400 invalidValue", (_, value) => {
    const error = refusal(patch({ op: "replace", path: "active", value }));
    expect([error.status, error.scimType]).toEqual([400, "invalidValue"]);
    expect(error.message).toContain("active must be a boolean");
    const noPath = refusal(patch({ op: "replace", value: { active: value } }));
    expect([noPath.status, noPath.scimType]).toEqual([400, "invalidValue"]);
  });

  it("names the refused value in the detail without echoing a large one", () => {
    expect(refusal(patch({ op: "replace", path: "active", value: "no" })).message).toBe(
      'active must be a boolean (true or false), not "no"',
    );
    expect(refusal(patch({ op: "replace", path: "active", value: 0 })).message).toContain("not 0");
    const large = { value: "x".repeat(10_000) };
    expect(refusal(patch({ op: "replace", path: "active", value: large })).message).toBe(
      "active must be a boolean (true or false), not an object",
    );
    expect(
      refusal(patch({ op: "replace", path: "active", value: "y".repeat(10_000) })).message.length,
    ).toBeLessThan(100);
  });

  it("refuses an externalId that is not a string with 400 invalidValue", () => {
    const error = refusal(patch({ op: "replace", path: "externalId", value: 7 }));
    expect([error.status, error.scimType]).toEqual([400, "invalidValue"]);
  });

  it.each([
    ["a body that is not an object", "[]", "a PatchOp message"],
    ["no schemas", { Operations: [{ op: "replace", value: { active: false } }] }, "schemas"],
    [
      "another schema",
      { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], Operations: [] },
      "schemas",
    ],
    ["no Operations", { schemas: [PATCH_OP_SCHEMA] }, "Operations must be a non-empty array"],
    ["empty Operations", patch(), "Operations must be a non-empty array"],
    ["an operation that is not an object", patch("replace"), "Operations[0] must be an object"],
    ["an unknown op", patch({ op: "move", path: "active" }), "Operations[0].op"],
    ["a path that is not a string", patch({ op: "replace", path: 1, value: true }), ".path"],
    [
      "a no-path value that is not an object",
      patch({ op: "add", path: "active", value: true }, { op: "replace", value: false }),
      "Operations[1] has no path",
    ],
  ])("refuses %s with 400 invalidSyntax", (_, body, named) => {
    const error = refusal(body);
    expect([error.status, error.scimType]).toEqual([400, "invalidSyntax"]);
    expect(error.message).toContain(named);
  });

  it("refuses a remove with no path (noTarget), of active (mutability), and a sub-path of active (invalidPath)", () => {
    expect(refusal(patch({ op: "remove" })).scimType).toBe("noTarget");
    expect(refusal(patch({ op: "Remove", path: "active" })).scimType).toBe("mutability");
    expect(refusal(patch({ op: "replace", path: "active.value", value: false })).scimType).toBe(
      "invalidPath",
    );
  });
});

describe("readUserPatch, for any message", () => {
  const casings = (word: string) =>
    fc
      .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
      .map((upper) => [...word].map((char, i) => (upper[i] ? char.toUpperCase() : char)).join(""));

  it('reads "true"/"false" in any case as the boolean it spells, and no other string', () => {
    fc.assert(
      fc.property(fc.oneof(casings("true"), casings("false")), casings("replace"), (value, op) => {
        expect(readUserPatch(patch({ op, path: "active", value }))).toEqual({
          active: value.toLowerCase() === "true",
        });
      }),
    );
    fc.assert(
      fc.property(
        fc.string().filter((value) => !["true", "false"].includes(value.toLowerCase())),
        (value) => {
          expect(refusal(patch({ op: "replace", path: "active", value })).scimType).toBe(
            "invalidValue",
          );
        },
      ),
    );
  });

  it("answers any JSON body with a change or a 400 refusal, never another error", () => {
    const operation = fc.record(
      {
        op: fc.oneof(fc.constantFrom("add", "Replace", "REMOVE", "move"), fc.jsonValue()),
        path: fc.oneof(
          fc.constantFrom("active", "externalId", "name.givenName", "active.x", ""),
          fc.jsonValue(),
        ),
        value: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    const message = fc.oneof(
      fc.jsonValue(),
      fc.array(operation).map((Operations) => ({ schemas: [PATCH_OP_SCHEMA], Operations })),
    );
    fc.assert(
      fc.property(message, (body) => {
        try {
          const change = readUserPatch(body);
          expect(
            Object.keys(change).every((key) =>
              ["active", "externalId", "externalIdRemoved"].includes(key),
            ),
          ).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(ScimRequestError);
          expect((error as ScimRequestError).status).toBe(400);
        }
      }),
    );
  });
});
