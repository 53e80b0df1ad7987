import { describe, expect, it } from "vitest";
import {
  bambooHrKeysSchema,
  PLACEHOLDER,
  signingKeysSchema,
} from "../../../shared/credentials/secret-shapes.ts";

const problems = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.error?.issues.map((issue) => issue.message) ?? [];

describe("signing key secrets", () => {
  it("refuse the placeholder for the Standard Webhooks keys", () => {
    expect(problems(signingKeysSchema.safeParse({ keys: [PLACEHOLDER] }))).toEqual([
      "still holds the placeholder: fill in the secret",
    ]);
  });

  it("read BambooHR's untouched secret as no keys, since BambooHR is optional", () => {
    expect(bambooHrKeysSchema.parse({ keys: [PLACEHOLDER] })).toEqual({ keys: [] });
    expect(bambooHrKeysSchema.parse({ keys: ["k1", "k2"] })).toEqual({ keys: ["k1", "k2"] });
  });

  it("refuse a BambooHR placeholder next to real keys, an empty list, or no list", () => {
    expect(problems(bambooHrKeysSchema.safeParse({ keys: ["k1", PLACEHOLDER] }))).toEqual([
      "still holds the placeholder: fill in the secret",
    ]);
    expect(problems(bambooHrKeysSchema.safeParse({ keys: [] }))).toEqual([
      "must hold at least one key",
    ]);
    expect(bambooHrKeysSchema.safeParse({}).success).toBe(false);
  });
});
