import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ScimRequestError } from "../../../../shared/runtime/errors/scim-request-error.ts";
import { listResponse, readPaging } from "../../../../shared/runtime/scim/scim-paging.ts";

describe("readPaging", () => {
  it("starts at 1 with pages of 100 when the query names neither", () => {
    expect(readPaging({})).toEqual({ startIndex: 1, count: 100 });
    expect(readPaging({ startIndex: "", count: undefined })).toEqual({ startIndex: 1, count: 100 });
  });

  it("reads both, names in any case", () => {
    expect(readPaging({ startIndex: "21", count: "10" })).toEqual({ startIndex: 21, count: 10 });
    expect(readPaging({ startindex: "3", COUNT: "1" })).toEqual({ startIndex: 3, count: 1 });
  });

  it("clamps as RFC 7644 §3.4.2.4 says: startIndex below 1 is 1, count below 0 is 0, at most 100", () => {
    expect(readPaging({ startIndex: "0", count: "-5" })).toEqual({ startIndex: 1, count: 0 });
    expect(readPaging({ startIndex: "-7", count: "0" })).toEqual({ startIndex: 1, count: 0 });
    expect(readPaging({ count: "101" })).toEqual({ startIndex: 1, count: 100 });
    expect(readPaging({ count: "100000" })).toEqual({ startIndex: 1, count: 100 });
  });

  it("keeps any integers within bounds, as given when they are", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), (startIndex, count) => {
        const paging = readPaging({ startIndex: String(startIndex), count: String(count) });
        expect(paging.startIndex).toBe(Math.max(1, startIndex));
        expect(paging.count).toBe(Math.min(100, Math.max(0, count)));
      }),
    );
  });

  it.each([
    ["startIndex", "1.5"],
    ["startIndex", "abc"],
    ["count", "10x"],
    ["count", "1e2"],
    ["count", "99999999999999999999"],
  ])("refuses %s=%s with 400 invalidValue", (name, value) => {
    let refused: unknown;
    try {
      readPaging({ [name]: value });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ScimRequestError);
    expect(refused).toMatchObject({ status: 400, scimType: "invalidValue" });
    expect((refused as Error).message).toContain(name);
  });
});

describe("listResponse", () => {
  it("writes a ListResponse with integer counts; itemsPerPage is the page's size", () => {
    expect(listResponse([{ id: "a" }, { id: "b" }], 7, 3)).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
      totalResults: 7,
      startIndex: 3,
      itemsPerPage: 2,
      Resources: [{ id: "a" }, { id: "b" }],
    });
  });

  it("writes the empty answer to a filter nobody matches", () => {
    expect(listResponse([], 0, 1)).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
  });
});
