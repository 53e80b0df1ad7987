import { describe, expect, it } from "vitest";
import { isAcceptedScimContentType } from "../../../../shared/runtime/scim/scim-media.ts";

describe("isAcceptedScimContentType", () => {
  it("takes SCIM's and plain JSON, in any case, with or without a UTF-8 charset", () => {
    for (const type of [
      "application/scim+json",
      "application/json",
      "Application/SCIM+JSON",
      "application/json; charset=utf-8",
      "application/scim+json;charset=UTF-8",
    ]) {
      expect(isAcceptedScimContentType(type), type).toBe(true);
    }
  });

  it("refuses other types, other charsets and no header", () => {
    for (const type of [
      "text/plain",
      "application/xml",
      "application/json; charset=iso-8859-1",
      "application/scim+jsonx",
      "",
      undefined,
    ]) {
      expect(isAcceptedScimContentType(type), String(type)).toBe(false);
    }
  });
});
