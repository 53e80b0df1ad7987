import { describe, expect, it } from "vitest";
import { PLACEHOLDER } from "../../../../shared/contract/secrets.ts";
import { scimTokensSchema } from "../../../../shared/runtime/scim-service/scim-token-secret.ts";

const problems = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.error?.issues.map((issue) => issue.message) ?? [];

describe("the SCIM token secret", () => {
  const T1 = "t1".padEnd(32, "-");
  const T2 = "t2".padEnd(48, "-");

  it("reads the untouched secret as no tokens (SCIM is optional), and keeps several for rotation", () => {
    expect(scimTokensSchema.parse({ tokens: [PLACEHOLDER] })).toEqual({ tokens: [] });
    expect(scimTokensSchema.parse({ tokens: [T1, T2] })).toEqual({ tokens: [T1, T2] });
  });

  it("refuses a token under 32 bytes, a placeholder beside a token, and an empty list, never echoing a token", () => {
    const short = "s".repeat(31);
    const result = scimTokensSchema.safeParse({ tokens: [T1, short] });
    expect(problems(result)).toEqual([expect.stringMatching(/tokens\[1\]: 31 bytes/)]);
    expect(JSON.stringify(result.error?.issues)).not.toContain(short);
    expect(problems(scimTokensSchema.safeParse({ tokens: [T1, PLACEHOLDER] }))).toEqual([
      "still holds the placeholder: fill in the secret",
    ]);
    expect(problems(scimTokensSchema.safeParse({ tokens: [] }))).toEqual([
      "must hold at least one token",
    ]);
  });
});
