import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../../shared/runtime/errors/configuration-error.ts";
import {
  assertScimTokens,
  MIN_SCIM_TOKEN_BYTES,
  matchesBearerToken,
} from "../../../../shared/runtime/scim/bearer-token.ts";

const CURRENT = "c".repeat(43);
const NEXT = "n".repeat(64);

describe("matchesBearerToken", () => {
  it("accepts any of the tokens, the scheme in any case", () => {
    expect(matchesBearerToken(`Bearer ${CURRENT}`, [CURRENT, NEXT])).toBe(true);
    expect(matchesBearerToken(`bearer ${NEXT}`, [CURRENT, NEXT])).toBe(true);
    expect(matchesBearerToken(`BEARER  ${NEXT} `, [CURRENT, NEXT])).toBe(true);
  });

  it("refuses another token, a prefix or extension of one, another scheme, and none", () => {
    for (const header of [
      `Bearer ${"x".repeat(43)}`,
      `Bearer ${CURRENT.slice(1)}`,
      `Bearer ${CURRENT}x`,
      `Basic ${CURRENT}`,
      CURRENT,
      "Bearer",
      "Bearer ",
      `Bearer ${CURRENT} ${NEXT}`,
      "",
      undefined,
    ]) {
      expect(matchesBearerToken(header, [CURRENT, NEXT]), String(header)).toBe(false);
    }
  });

  it("matches nothing with no tokens", () => {
    expect(matchesBearerToken(`Bearer ${CURRENT}`, [])).toBe(false);
  });
});

describe("assertScimTokens", () => {
  it("accepts tokens of at least 32 bytes", () => {
    expect(MIN_SCIM_TOKEN_BYTES).toBe(32);
    expect(() => assertScimTokens(["a".repeat(32), NEXT])).not.toThrow();
  });

  it("refuses an empty list, a short token and one with white space, naming each by position only", () => {
    const short = "s".repeat(31);
    let refused: unknown;
    try {
      assertScimTokens([NEXT, short, `${"w".repeat(32)} x`]);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ConfigurationError);
    expect((refused as ConfigurationError).problems).toEqual([
      "tokens[1]: 31 bytes; a SCIM token needs at least 32",
      "tokens[2]: contains white space",
    ]);
    expect((refused as Error).message).not.toContain(short);
    expect(() => assertScimTokens([])).toThrow(ConfigurationError);
  });

  it("counts bytes, not characters", () => {
    expect(() => assertScimTokens(["é".repeat(16)])).not.toThrow();
    expect(() => assertScimTokens(["é".repeat(15)])).toThrow(ConfigurationError);
  });
});

describe("matchesBearerToken, for any tokens", () => {
  it("accepts exactly the tokens of the list", () => {
    const token = fc.stringMatching(/^[A-Za-z0-9._~+/=-]{1,80}$/);
    fc.assert(
      fc.property(fc.uniqueArray(token, { minLength: 2, maxLength: 4 }), (tokens) => {
        const [presented, ...others] = tokens as [string, ...string[]];
        expect(matchesBearerToken(`Bearer ${presented}`, tokens)).toBe(true);
        expect(matchesBearerToken(`Bearer ${presented}`, others)).toBe(false);
      }),
    );
  });
});
