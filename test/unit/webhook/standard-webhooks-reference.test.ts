import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  generateWebhookSecret,
  signStandardWebhook,
  verifyStandardWebhook,
} from "../../../shared/webhook/standard-webhooks.ts";

/**
 * An independent signer written from the Standard Webhooks specification: the signed content
 * is `msg_id.timestamp.payload`, the key is the base64-decoded part after `whsec_`, and the
 * header value is `v1,` + base64(HMAC-SHA256).
 */
function referenceSign(secret: string, msgId: string, timestamp: number, payload: string): string {
  const key = Buffer.from(secret.split("_")[1] ?? "", "base64");
  const signedContent = `${msgId}.${timestamp}.${payload}`;
  return `v1,${createHmac("sha256", key).update(signedContent).digest("base64")}`;
}

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

describe("Standard Webhooks", () => {
  it("accepts a request signed by the reference algorithm", () => {
    const payload = '{"test": 2432232314}';
    const timestamp = 1_614_265_330;
    expect(
      verifyStandardWebhook({
        id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
        timestamp: String(timestamp),
        signature: referenceSign(SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp, payload),
        rawBody: Buffer.from(payload),
        keys: [SECRET],
        nowSeconds: timestamp,
      }),
    ).toBe(true);
  });

  it("signs exactly as the reference algorithm does", () => {
    const headers = signStandardWebhook({
      secret: SECRET,
      id: "msg_1",
      timestamp: 1_700_000_000,
      body: "{}",
    });
    expect(headers["webhook-signature"]).toBe(referenceSign(SECRET, "msg_1", 1_700_000_000, "{}"));
  });

  it("refuses a signature made for another message id", () => {
    const payload = "{}";
    expect(
      verifyStandardWebhook({
        id: "msg_2",
        timestamp: "1700000000",
        signature: referenceSign(SECRET, "msg_1", 1_700_000_000, payload),
        rawBody: Buffer.from(payload),
        keys: [SECRET],
        nowSeconds: 1_700_000_000,
      }),
    ).toBe(false);
  });

  it("ignores entries of other versions and malformed timestamps", () => {
    const base = { id: "m", rawBody: Buffer.from("{}"), keys: [SECRET], nowSeconds: 1_700_000_000 };
    const good = referenceSign(SECRET, "m", 1_700_000_000, "{}");
    expect(
      verifyStandardWebhook({
        ...base,
        timestamp: "1700000000",
        signature: good.replace("v1,", "v2,"),
      }),
    ).toBe(false);
    expect(verifyStandardWebhook({ ...base, timestamp: "1.7e9", signature: good })).toBe(false);
  });

  it("generates secrets in the whsec_ format with 32 random bytes", () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });
});
