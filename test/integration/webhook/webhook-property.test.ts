import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signStandardWebhook } from "../../../shared/webhook/standard-webhooks.ts";
import { NEW_KEY, startWebhookHarness } from "./webhook-harness.ts";

const NOW_SECONDS = 1_795_400_000;
let harness: Awaited<ReturnType<typeof startWebhookHarness>>;
beforeAll(async () => {
  harness = await startWebhookHarness({ nowMs: NOW_SECONDS * 1000 });
});
afterAll(() => harness.stop());

const headerValue = fc.oneof(fc.string(), fc.constant("v1,AAAA"), fc.constant(String(NOW_SECONDS)));
const headers = fc.dictionary(
  fc.constantFrom(
    "webhook-id",
    "webhook-timestamp",
    "webhook-signature",
    "content-type",
    "x-bamboohr-timestamp",
    "x-bamboohr-signature",
  ),
  headerValue,
);
const path = fc.constantFrom("/events", "/bamboohr", "/", "/events/", "/other");
const method = fc.constantFrom("POST", "GET", "PUT", "post");
const body = fc.oneof(
  fc.string({ maxLength: 2000 }),
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
);

describe("the webhook under random input", () => {
  it("never throws, never answers 5xx and never enqueues without a valid signature", async () => {
    const { invoke, queued } = await harness.build();
    await fc.assert(
      fc.asyncProperty(path, method, headers, body, fc.boolean(), async (p, m, h, b, base64) => {
        const response = await invoke({ path: p, method: m, headers: h, body: b, base64 });
        expect([401, 404, 405, 413]).toContain(response.status);
      }),
      { numRuns: 2000 },
    );
    expect(await queued()).toHaveLength(0);
  });

  it("never answers 5xx to signed bodies of any shape", async () => {
    const { invoke } = await harness.build();
    const contentType = fc.constantFrom(
      "application/json",
      "application/cloudevents+json",
      "application/cloudevents-batch+json; charset=utf-8",
      "text/plain",
    );
    await fc.assert(
      fc.asyncProperty(body, contentType, async (b, type) => {
        const signed = signStandardWebhook({
          secret: NEW_KEY,
          id: "msg",
          timestamp: NOW_SECONDS,
          body: b,
        });
        const response = await invoke({ headers: { ...signed, "content-type": type }, body: b });
        expect(response.status).toBeLessThan(500);
        expect([202, 400, 413, 415]).toContain(response.status);
      }),
      { numRuns: 1000 },
    );
  });
});
