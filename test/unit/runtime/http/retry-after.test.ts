import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "../../../../shared/runtime/http/retry-after.ts";

const NOW = Date.parse("2026-11-23T10:00:00Z");

describe("parseRetryAfter", () => {
  it("reads delay seconds", () => {
    expect(parseRetryAfter("0", NOW)).toBe(0);
    expect(parseRetryAfter("2", NOW)).toBe(2_000);
    expect(parseRetryAfter(" 120 ", NOW)).toBe(120_000);
  });

  it("reads an IMF-fixdate HTTP date as the time left until then", () => {
    expect(parseRetryAfter("Mon, 23 Nov 2026 10:00:05 GMT", NOW)).toBe(5_000);
  });

  it("reads the obsolete RFC 850 and asctime date forms", () => {
    expect(parseRetryAfter("Monday, 23-Nov-26 10:00:07 GMT", NOW)).toBe(7_000);
    expect(parseRetryAfter("Mon Nov 23 10:00:09 2026", NOW)).toBe(9_000);
  });

  it("treats a date in the past as 'now'", () => {
    expect(parseRetryAfter("Sun, 22 Nov 2026 10:00:00 GMT", NOW)).toBe(0);
  });

  it("ignores what it cannot read", () => {
    for (const value of [null, undefined, "", "soon", "-3", "1.5", "2026-11-23"]) {
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    }
  });
});
