import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCEPTED_TYPES } from "../../../../shared/runtime/webhook/media-type.ts";
import {
  BAMBOO_KEY,
  bambooHeaders,
  NOW_SECONDS,
  STRANGER_KEY,
  signedHeaders,
  startWebhookHarness,
  type WebhookHarness,
} from "./webhook-harness.ts";

/**
 * Thousands of random requests against the real handler and a real (fauxqs) queue. The SQS
 * client the handler uses is observed: an unauthenticated request must not even reach it.
 */

let harness: WebhookHarness;
beforeAll(async () => {
  harness = await startWebhookHarness();
});
afterAll(() => harness.stop());

const subject = fc.stringMatching(/^[A-Za-z0-9._:@-]{1,24}$/);
const lifecycleEvent = fc.record({
  specversion: fc.constant("1.0"),
  id: fc.uuid(),
  source: fc.constantFrom("urn:hr:workday", "bamboohr", "https://hr.example.com/x"),
  type: fc.constantFrom("user.onboarded", "user.offboarded"),
  time: fc.constantFrom("2026-11-23T02:00:00Z", "2026-11-23T03:00:00.123+01:00"),
  subject,
  data: fc.oneof(
    fc.record({ accountPlatform: fc.record({ login: subject }) }),
    fc.record({ osis: fc.record({ cdUserId: subject }) }),
  ),
});
const bambooEmployee = fc.record({
  id: fc.oneof(fc.nat().map(String), fc.string()),
  changedFields: fc.subarray(["Status", "Job Title", "Employee #"]),
  fields: fc.dictionary(
    fc.constantFrom("Status", "Employee #", "Work Email", "Job Title"),
    fc.oneof(fc.constantFrom("Active", "Inactive", "On leave"), fc.string(), fc.integer()),
  ),
});

/** Text, bytes, any JSON, and bodies that would be accepted if they were signed. */
const body: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  lifecycleEvent.map((event) => JSON.stringify(event)),
  fc.array(lifecycleEvent, { minLength: 1, maxLength: 12 }).map((list) => JSON.stringify(list)),
  fc.array(bambooEmployee, { maxLength: 4 }).map((list) => JSON.stringify({ employees: list })),
);

const contentType = fc.constantFrom(
  "application/json",
  "application/cloudevents+json",
  "application/cloudevents-batch+json; charset=utf-8",
  "application/json; charset=latin1",
  "text/plain",
  "",
);

const randomHeaders = fc.dictionary(
  fc.constantFrom(
    "webhook-id",
    "webhook-timestamp",
    "webhook-signature",
    "content-type",
    "x-bamboohr-timestamp",
    "x-bamboohr-signature",
    "Webhook-Signature",
  ),
  fc.oneof(
    fc.string(),
    fc.constant(String(NOW_SECONDS)),
    fc.constant(`v1,${Buffer.alloc(32).toString("base64")}`),
    fc.constant("0".repeat(64)),
  ),
);

const bytesOf = (value: string | Buffer) =>
  typeof value === "string" ? Buffer.from(value) : value;
const skew = fc.integer({ min: 301, max: 10_000_000 });

/** Every way a request can carry something that looks like a signature and is not valid. */
const forgery = (signed: string | Buffer): fc.Arbitrary<Record<string, string>> =>
  fc.oneof(
    fc.constant({}),
    randomHeaders,
    fc.constant(signedHeaders(signed, { secret: STRANGER_KEY })),
    skew.map((s) => signedHeaders(signed, { timestamp: NOW_SECONDS - s })),
    skew.map((s) => signedHeaders(signed, { timestamp: NOW_SECONDS + s })),
    fc.constant(signedHeaders(Buffer.concat([bytesOf(signed), Buffer.from(" ")]))),
    fc.constant({ ...signedHeaders(signed), "webhook-id": "msg_forged" }),
    fc
      .string({ minLength: 1 })
      .filter((key) => key !== BAMBOO_KEY)
      .map((key) => bambooHeaders(signed, { key })),
    // BambooHR's own limits: up to three hours old (its retries), five minutes ahead.
    fc
      .integer({ min: 10_801, max: 10_000_000 })
      .map((s) => bambooHeaders(signed, { timestamp: NOW_SECONDS - s })),
    skew.map((s) => bambooHeaders(signed, { timestamp: NOW_SECONDS + s })),
    fc.constant(bambooHeaders(Buffer.concat([bytesOf(signed), Buffer.from("x")]))),
  );

const unauthenticatedRequest = fc
  .record({
    path: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom("/events", "/bamboohr") },
      fc.constantFrom("/", "/events/", "/other", "/__proto__"),
    ),
    method: fc.oneof(
      { weight: 8, arbitrary: fc.constant("POST") },
      fc.constantFrom("GET", "PUT", "post", ""),
    ),
    body: fc.oneof({ weight: 20, arbitrary: body }, fc.constant("x".repeat(256 * 1024 + 1))),
    contentType,
    base64: fc.boolean(),
  })
  .chain((request) =>
    forgery(
      request.base64 ? bytesOf(request.body) : Buffer.from(bytesOf(request.body).toString("utf8")),
    ).map((headers) => ({
      ...request,
      headers: { "content-type": request.contentType, ...headers },
    })),
  );

describe("the webhook under random input", () => {
  it("never throws, never answers 5xx, and never enqueues an unauthenticated request", async () => {
    const webhook = await harness.build();
    await fc.assert(
      fc.asyncProperty(unauthenticatedRequest, async (request) => {
        const response = await webhook.invoke(request);
        expect([401, 404, 405, 413]).toContain(response.status);
        expect(webhook.sent.calls).toBe(0);
      }),
      { numRuns: 3_000 },
    );
    expect(await webhook.depth()).toBe(0);
    // Nothing of an unauthenticated request is logged: only which signature check failed.
    for (const line of webhook.logLines) {
      expect(Object.keys(JSON.parse(line)).sort()).toEqual(
        expect.arrayContaining(["failedCheck", "route"]),
      );
      expect(JSON.parse(line)).toMatchObject({
        message: "Webhook refused: the signature did not verify",
      });
    }
  });

  it("answers signed bodies of any shape with 202, 400 or 415, and enqueues exactly what it accepts", async () => {
    const webhook = await harness.build();
    const expectedKeys = new Set<string>();
    const signedRequest = fc.constantFrom("/events", "/bamboohr").chain((route) =>
      fc.record({
        route: fc.constant(route),
        body,
        contentType: fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...ACCEPTED_TYPES[routeOf(route)]) },
          contentType,
        ),
        base64: fc.boolean(),
      }),
    );
    await fc.assert(
      fc.asyncProperty(signedRequest, async ({ route, body, contentType, base64 }) => {
        // API Gateway passes a body as text only when it is text: otherwise it is base64.
        const bytes = base64 ? bytesOf(body) : Buffer.from(bytesOf(body).toString("utf8"));
        const headers =
          route === "/events"
            ? signedHeaders(bytes, { contentType, id: "msg_prop" })
            : bambooHeaders(bytes, { contentType });
        const before = webhook.sent.entries;
        const response = await webhook.invoke({ path: route, headers, body: bytes, base64 });
        expect([202, 400, 415]).toContain(response.status);
        const sent = webhook.sent.entries - before;
        if (response.status !== 202) {
          expect(sent).toBe(0);
          return;
        }
        const accepted: string[] = JSON.parse(response.body).accepted;
        expect(sent).toBe(accepted.length);
        for (const key of idempotencyKeys(route, bytes, accepted)) expectedKeys.add(key);
      }),
      { numRuns: 1_500 },
    );
    expect(expectedKeys.size).toBeGreaterThan(0);
    expect(await webhook.depth()).toBe(expectedKeys.size);
  });
});

const routeOf = (path: string) => (path === "/events" ? "events" : "bamboohr");

/** The (source, id) pairs an accepted request enqueued: SQS deduplicates on exactly these. */
function idempotencyKeys(route: string, bytes: Buffer, accepted: readonly string[]): string[] {
  if (route === "/bamboohr") return accepted.map((id) => JSON.stringify(["bamboohr", id]));
  const parsed: unknown = JSON.parse(bytes.toString("utf8"));
  const events = (Array.isArray(parsed) ? parsed : [parsed]) as { source: string; id: string }[];
  return events.map((event) => JSON.stringify([event.source, event.id]));
}
