import { describe, expect, it } from "vitest";
import {
  generateWebhookSecret,
  secretKeyBytes,
  signStandardWebhook,
  standardWebhooksKeysSchema,
  standardWebhooksKeysShape,
  verifyStandardWebhook,
} from "../../../../shared/runtime/webhook/standard-webhooks.ts";

const SECRET = `whsec_${Buffer.from("0123456789abcdef0123456789abcdef").toString("base64")}`;
const NOW = 1_700_000_000;

function request(overrides: Partial<Parameters<typeof verifyStandardWebhook>[0]> = {}) {
  const body = Buffer.from('{"a":1}');
  const headers = signStandardWebhook({ secret: SECRET, id: "msg_1", timestamp: NOW, body });
  return {
    id: headers["webhook-id"],
    timestamp: headers["webhook-timestamp"],
    signature: headers["webhook-signature"],
    rawBody: body,
    keys: [SECRET],
    nowSeconds: NOW,
    ...overrides,
  };
}

describe("verifyStandardWebhook", () => {
  it("accepts what signStandardWebhook signed", () => {
    expect(verifyStandardWebhook(request())).toBe(true);
  });

  it("holds the tolerance at exactly five minutes, both ways", () => {
    expect(verifyStandardWebhook(request({ nowSeconds: NOW + 300 }))).toBe(true);
    expect(verifyStandardWebhook(request({ nowSeconds: NOW - 300 }))).toBe(true);
    expect(verifyStandardWebhook(request({ nowSeconds: NOW + 301 }))).toBe(false);
    expect(verifyStandardWebhook(request({ nowSeconds: NOW - 301 }))).toBe(false);
  });

  it("refuses timestamps that are not whole Unix seconds", () => {
    for (const timestamp of ["1.7e9", "+1700000000", "1700000000.0", " 1700000000", ""]) {
      expect(verifyStandardWebhook(request({ timestamp })), timestamp).toBe(false);
    }
  });

  it("refuses a different body, id or key, and a signature of another length", () => {
    expect(verifyStandardWebhook(request({ rawBody: Buffer.from('{"a":2}') }))).toBe(false);
    expect(verifyStandardWebhook(request({ id: "msg_2" }))).toBe(false);
    expect(verifyStandardWebhook(request({ keys: [generateWebhookSecret()] }))).toBe(false);
    const truncated = request().signature.slice(0, -8);
    expect(verifyStandardWebhook(request({ signature: truncated }))).toBe(false);
  });

  it("finds a matching entry among several, with any key of several", () => {
    const other = generateWebhookSecret();
    const signature = `v1,AAAA ${request().signature} v1a,ignored`;
    expect(verifyStandardWebhook(request({ signature, keys: [other, SECRET] }))).toBe(true);
  });

  it("never verifies with a key shorter than 24 bytes, even one that signed the request", () => {
    const short = `whsec_${Buffer.from("short").toString("base64")}`;
    const body = Buffer.from("{}");
    const headers = signStandardWebhook({ secret: short, id: "m", timestamp: NOW, body });
    expect(
      verifyStandardWebhook({
        id: "m",
        timestamp: headers["webhook-timestamp"],
        signature: headers["webhook-signature"],
        rawBody: body,
        keys: [short, "whsec_"],
        nowSeconds: NOW,
      }),
    ).toBe(false);
  });
});

describe("signStandardWebhook", () => {
  it("defaults the id to a fresh msg_ id and the timestamp to now", () => {
    const before = Math.floor(Date.now() / 1000);
    const first = signStandardWebhook({ secret: SECRET, body: "{}" });
    const second = signStandardWebhook({ secret: SECRET, body: "{}" });
    expect(first["webhook-id"]).toMatch(/^msg_/);
    expect(first["webhook-id"]).not.toBe(second["webhook-id"]);
    expect(Number(first["webhook-timestamp"])).toBeGreaterThanOrEqual(before);
    expect(Number(first["webhook-timestamp"])).toBeLessThanOrEqual(before + 5);
  });

  it("signs string and byte bodies alike", () => {
    const fromText = signStandardWebhook({ secret: SECRET, id: "m", timestamp: NOW, body: "é" });
    const fromBytes = signStandardWebhook({
      secret: SECRET,
      id: "m",
      timestamp: NOW,
      body: new Uint8Array([0xc3, 0xa9]),
    });
    expect(fromBytes).toEqual(fromText);
  });
});

describe("secrets", () => {
  it("generates whsec_ secrets of 32 random bytes that the key schema accepts", () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(secretKeyBytes(secret)).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
    expect(standardWebhooksKeysSchema.safeParse({ keys: [secret, SECRET] }).success).toBe(true);
  });

  it("takes keys limited to sources beside plain ones; a key also listed plain sends any source", () => {
    const other = generateWebhookSecret();
    const parsed = standardWebhooksKeysSchema.parse({
      keys: [
        SECRET,
        { key: other, sources: ["urn:hr:workday", "urn:hr:sap"] },
        { key: SECRET, sources: ["x"] },
      ],
    });
    expect(parsed.keys).toEqual([SECRET, other]);
    expect([...(parsed.sourcesOf?.get(other) ?? [])]).toEqual(["urn:hr:workday", "urn:hr:sap"]);
    expect(parsed.sourcesOf?.has(SECRET)).toBe(false);
    const bad = standardWebhooksKeysSchema.safeParse({
      keys: [
        { key: "whsec_short", sources: ["urn:hr:workday"] },
        { key: other, sources: [] },
      ],
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((issue) => issue.path.join("."))).toEqual(
      expect.arrayContaining(["keys.0.key", "keys.1.sources"]),
    );
    expect(JSON.stringify(bad.error?.issues)).not.toContain(other);
  });

  it("refuses keys that are not whsec_ base64 of 24 to 64 bytes, naming only their position", () => {
    const bad = ["REPLACE_ME", "whsec_", "whsec_c2hvcnQ=", `whsec_${"A".repeat(100)}`, "whsec_!!!"];
    const result = standardWebhooksKeysSchema.safeParse({
      keys: [generateWebhookSecret(), ...bad],
    });
    expect(result.success).toBe(false);
    const issues = result.error?.issues ?? [];
    expect(new Set(issues.map((issue) => issue.path.join(".")))).toEqual(
      new Set(["keys.1", "keys.2", "keys.3", "keys.4", "keys.5"]),
    );
    for (const key of bad.slice(2)) {
      expect(JSON.stringify(issues)).not.toContain(key);
    }
  });

  it("reach the secret's reader as the keys, or each problem's path and message alone", () => {
    expect(standardWebhooksKeysShape({ keys: [SECRET] })).toEqual({
      ok: true,
      value: { keys: [SECRET], sourcesOf: new Map() },
    });
    const mistyped = "whsec_c2hvcnQ=";
    const refusal = standardWebhooksKeysShape({ keys: [SECRET, mistyped] });
    expect(refusal).toEqual({
      ok: false,
      problems: [
        {
          path: ["keys", 1],
          message: 'must be "whsec_" followed by the base64 of 24 to 64 random bytes',
        },
      ],
    });
    expect(JSON.stringify(refusal)).not.toContain(mistyped);
  });
});
