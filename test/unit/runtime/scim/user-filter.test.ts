import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  parseUserFilter,
  satisfiesUserFilter,
} from "../../../../shared/runtime/scim/user-filter.ts";
import { scimRefusal } from "../../../support/scim-refusal.ts";

describe("parseUserFilter", () => {
  it("reads no filter as none", () => {
    expect(parseUserFilter(undefined)).toBeUndefined();
  });

  it("reads each served attribute with eq, userName in lower case", () => {
    expect(parseUserFilter('userName eq "JDoe@Example.com"')).toEqual({
      userName: "jdoe@example.com",
    });
    expect(parseUserFilter('externalId eq "00u1AbC"')).toEqual({ externalId: "00u1AbC" });
    expect(parseUserFilter('id eq "u-42"')).toEqual({ id: "u-42" });
  });

  it("takes attribute names and operators in any case, and the core schema's URN", () => {
    expect(parseUserFilter('USERNAME EQ "x"')).toEqual({ userName: "x" });
    expect(parseUserFilter('externalid Eq "x"')).toEqual({ externalId: "x" });
    expect(parseUserFilter('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"')).toEqual({
      userName: "x",
    });
  });

  it("reads Entra's + for spaces, keeping a + inside quotes", () => {
    expect(parseUserFilter('userName+eq+"8f1c0e8e-2a4b"')).toEqual({ userName: "8f1c0e8e-2a4b" });
    expect(parseUserFilter('userName eq "a+b@example.com"')).toEqual({
      userName: "a+b@example.com",
    });
    expect(parseUserFilter('  userName   eq\t"x"  ')).toEqual({ userName: "x" });
  });

  it("reads escaped quotes and backslashes in values", () => {
    expect(parseUserFilter('externalId eq "say \\"hi\\""')).toEqual({ externalId: 'say "hi"' });
    expect(parseUserFilter('externalId eq "a\\\\"')).toEqual({ externalId: "a\\" });
  });

  it("joins comparisons with and, in any case", () => {
    expect(parseUserFilter('userName eq "x" and externalId eq "e" AND id eq "i"')).toEqual({
      userName: "x",
      externalId: "e",
      id: "i",
    });
  });

  it("matches nobody when an attribute is asked for two values, and anybody with the same twice", () => {
    expect(parseUserFilter('id eq "a" and id eq "b"')).toEqual({ id: "b", matchesNone: true });
    expect(parseUserFilter('userName eq "X" and userName eq "x"')).toEqual({ userName: "x" });
  });

  it.each([
    ['userName ne "x"', '"ne" is not served'],
    ['userName co "x"', '"co" is not served'],
    ['userName sw "x"', '"sw" is not served'],
    ["userName pr", '"pr" is not served'],
    ['emails eq "x"', 'filtering on "emails" is not served'],
    ['name.givenName eq "x"', 'filtering on "name.givenName" is not served'],
    ['userName eq "x" or id eq "y"', '"or" is not served'],
    ['not (userName eq "x")', '"not" is not served'],
    ['userName eq "x" and (id eq "y")', '"(" is not served'],
    ['userName eq "x")', '")" is not served'],
    ['userName eq "x" ; id eq "y"', '";" is not part of a filter'],
    ['(userName eq "x")', '"(" is not served'],
    ['emails[type eq "work"]', '"[" is not served'],
    ["userName eq x", 'needs a quoted string value, found "x"'],
    ["active eq true", 'filtering on "active" is not served'],
    ["id eq 42", "needs a quoted string value"],
    ["userName eq", "found the end of the filter"],
    ['userName eq "x" and', "expected an attribute, found the end of the filter"],
    ['userName eq "x', "a quoted value is not closed"],
    ['userName eq "\\x"', "has an invalid escape"],
    ["", "the filter is empty"],
    ["+ ", "the filter is empty"],
  ])("refuses %j with 400 invalidFilter naming it", (raw, named) => {
    const error = scimRefusal(() => parseUserFilter(raw));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe("invalidFilter");
    expect(error.message).toContain(named);
  });
});

describe("satisfiesUserFilter", () => {
  const jdoe = { id: "u-1", userName: "JDoe@Example.com", externalId: "00u1" };

  it("keeps a user who satisfies every comparison, userName in any case", () => {
    expect(satisfiesUserFilter(parseUserFilter('userName eq "jdoe@example.COM"') ?? {}, jdoe)).toBe(
      true,
    );
    const all = parseUserFilter(
      'userName eq "JDOE@example.com" and externalId eq "00u1" and id eq "u-1"',
    );
    expect(satisfiesUserFilter(all ?? {}, jdoe)).toBe(true);
    expect(satisfiesUserFilter({}, jdoe)).toBe(true);
  });

  it("drops a user who fails one comparison; externalId and id are compared exactly", () => {
    for (const raw of [
      'userName eq "jdoe" and externalId eq "00u1"',
      'externalId eq "00U1"',
      'id eq "U-1"',
      'userName eq "jdoe@example.com" and externalId eq "other"',
    ]) {
      expect(satisfiesUserFilter(parseUserFilter(raw) ?? {}, jdoe), raw).toBe(false);
    }
    expect(satisfiesUserFilter({ externalId: "00u1" }, { id: "u-1", userName: "x" })).toBe(false);
  });

  it("keeps nobody for a filter that matches none", () => {
    expect(satisfiesUserFilter(parseUserFilter('id eq "u-1" and id eq "u-2"') ?? {}, jdoe)).toBe(
      false,
    );
  });
});

describe("parseUserFilter, for any value", () => {
  it("reads back the value JSON quoted, + and quotes included (userName lower-cased)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme" }),
        fc.constantFrom(" ", "+", "  ", "\t"),
        (value, space) => {
          const quoted = JSON.stringify(value);
          expect(parseUserFilter(["externalId", "eq", quoted].join(space))).toEqual({
            externalId: value,
          });
          expect(parseUserFilter(`userName${space}eq${space}${quoted}`)).toEqual({
            userName: value.toLowerCase(),
          });
        },
      ),
    );
  });

  it("answers any text with a filter or a 400 invalidFilter, nothing else", () => {
    fc.assert(
      fc.property(fc.string(), (raw) => {
        try {
          parseUserFilter(raw);
        } catch (error) {
          expect(error).toMatchObject({ status: 400, scimType: "invalidFilter" });
        }
      }),
    );
  });
});
