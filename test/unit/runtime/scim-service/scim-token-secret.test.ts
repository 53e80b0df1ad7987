import { describe, expect, it } from "vitest";
import { PLACEHOLDER } from "../../../../shared/contract/secrets.ts";
import type { ShapeResult } from "../../../../shared/runtime/credentials/shape-checks.ts";
import { scimTokensShape } from "../../../../shared/runtime/scim-service/scim-token-secret.ts";

const problems = (result: ShapeResult<unknown>) =>
  result.ok ? [] : result.problems.map((problem) => problem.message);

describe("the SCIM token secret", () => {
  const T1 = "t1".padEnd(32, "-");
  const T2 = "t2".padEnd(48, "-");

  it("reads the untouched secret as no tokens (SCIM is optional), and keeps several for rotation", () => {
    expect(scimTokensShape({ tokens: [PLACEHOLDER] })).toEqual({ ok: true, value: { tokens: [] } });
    expect(scimTokensShape({ tokens: [T1, T2] })).toEqual({
      ok: true,
      value: { tokens: [T1, T2] },
    });
  });

  it("refuses a token under 32 bytes, a placeholder beside a token, and an empty list, never echoing a token", () => {
    const short = "s".repeat(31);
    const result = scimTokensShape({ tokens: [T1, short] });
    expect(problems(result)).toEqual([expect.stringMatching(/tokens\[1\]: 31 bytes/)]);
    expect(JSON.stringify(result)).not.toContain(short);
    expect(problems(scimTokensShape({ tokens: [T1, PLACEHOLDER] }))).toEqual([
      "still holds the placeholder: fill in the secret",
    ]);
    expect(problems(scimTokensShape({ tokens: [] }))).toEqual(["must hold at least one token"]);
  });
});
