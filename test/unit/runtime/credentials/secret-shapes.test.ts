import { describe, expect, it } from "vitest";
import { PLACEHOLDER } from "../../../../shared/contract/secrets.ts";
import {
  bambooHrKeysSchema,
  signingKeysSchema,
} from "../../../../shared/runtime/credentials/secret-shapes.ts";

/** Keys of 32 and 40 bytes: BambooHR keys must have at least 32. */
const K1 = "k1".padEnd(32, "-");
const K2 = "k2".padEnd(40, "-");

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
    expect(bambooHrKeysSchema.parse({ keys: [K1, K2] })).toEqual({ keys: [K1, K2] });
  });

  it("refuse a BambooHR placeholder next to real keys, an empty list, or no list", () => {
    expect(problems(bambooHrKeysSchema.safeParse({ keys: [K1, PLACEHOLDER] }))).toEqual([
      "still holds the placeholder: fill in the secret",
    ]);
    expect(problems(bambooHrKeysSchema.safeParse({ keys: [] }))).toEqual([
      "must hold at least one key",
    ]);
    expect(bambooHrKeysSchema.safeParse({}).success).toBe(false);
  });

  it("refuse a BambooHR key shorter than 32 bytes, like a placeholder, naming only its position", () => {
    const short = "k".repeat(31);
    const result = bambooHrKeysSchema.safeParse({ keys: [K1, short] });
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ["keys", 1],
        message: "is shorter than 32 bytes: use the key BambooHR showed",
      }),
    ]);
    expect(JSON.stringify(problems(result))).not.toContain(short);
    expect(problems(bambooHrKeysSchema.safeParse({ keys: ["é".repeat(16)] }))).toEqual([]);
  });
});
