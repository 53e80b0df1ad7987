import { createHmac } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signStandardWebhook } from "../../../../shared/runtime/webhook/standard-webhooks.ts";
import { NOW_SECONDS, startWebhookHarness, type WebhookHarness } from "./webhook-harness.ts";

/**
 * The Standard Webhooks reference algorithm, written here from the specification
 * (standardwebhooks.com, "Signature scheme") and sharing no code with the product:
 * - the signed content is the message id, the timestamp and the payload, joined by full stops;
 * - the key is the base64-decoded part of the secret after its `whsec_` prefix;
 * - the signature is base64(HMAC-SHA256(key, signed content)), sent as `v1,<signature>`.
 */
function referenceSignature(secret: string, msgId: string, timestamp: number, payload: string) {
  const key = Buffer.from(secret.substring("whsec_".length), "base64");
  const signedContent = `${msgId}.${timestamp}.${payload}`;
  return `v1,${createHmac("sha256", key).update(signedContent, "utf8").digest("base64")}`;
}

/** The worked example published with the specification. */
const SPEC_EXAMPLE = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  msgId: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1_614_265_330,
  payload: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

let harness: WebhookHarness;
beforeAll(async () => {
  harness = await startWebhookHarness();
});
afterAll(() => harness.stop());

describe("Standard Webhooks reference algorithm", () => {
  it("reproduces the specification's worked example", () => {
    const { secret, msgId, timestamp, payload, signature } = SPEC_EXAMPLE;
    expect(referenceSignature(secret, msgId, timestamp, payload)).toBe(signature);
  });

  it("agrees with the product's signer on any message", () => {
    const secret = fc
      .uint8Array({ minLength: 24, maxLength: 64 })
      .map((bytes) => `whsec_${Buffer.from(bytes).toString("base64")}`);
    fc.assert(
      fc.property(
        secret,
        fc.string({ minLength: 1 }),
        fc.integer({ min: 0, max: 9_999_999_999 }),
        fc.string({ unit: "grapheme" }),
        (key, msgId, timestamp, payload) => {
          const product = signStandardWebhook({ secret: key, id: msgId, timestamp, body: payload });
          expect(product["webhook-signature"]).toBe(
            referenceSignature(key, msgId, timestamp, payload),
          );
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it("signs a request the handler accepts and enqueues", async () => {
    const webhook = await harness.build(
      {},
      { keys: { standardWebhooks: { keys: [SPEC_EXAMPLE.secret] } } },
    );
    const payload = JSON.stringify({
      specversion: "1.0",
      id: "ref-1",
      source: "urn:hr:reference",
      type: "user.offboarded",
      time: "2026-11-23T02:00:00Z",
      subject: "emp-ref",
      data: { osis: { cdUserId: "ref.user" } },
    });
    const response = await webhook.invoke({
      headers: {
        "content-type": "application/cloudevents+json",
        "webhook-id": "msg_reference",
        "webhook-timestamp": String(NOW_SECONDS),
        "webhook-signature": referenceSignature(
          SPEC_EXAMPLE.secret,
          "msg_reference",
          NOW_SECONDS,
          payload,
        ),
      },
      body: payload,
    });
    expect(response.status).toBe(202);
    expect(JSON.parse(response.body)).toEqual({ accepted: ["ref-1"] });
    expect((await webhook.drain()).map((message) => message.Body)).toEqual([payload]);
  });
});
