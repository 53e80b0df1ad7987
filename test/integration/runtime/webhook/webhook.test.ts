import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createWebhookHandler } from "../../../../functions/webhook/create-handler.ts";
import type { CredentialSource } from "../../../../shared/runtime/credentials/credential-source.ts";
import type { SigningKeys } from "../../../../shared/runtime/credentials/secret-shapes.ts";
import { StaticCredentialSource } from "../../../../shared/runtime/credentials/static-credential-source.ts";
import { ARRIVAL_ATTRIBUTE } from "../../../../shared/runtime/events/arrival.ts";
import { sourceDeduplicationId } from "../../../../shared/runtime/events/deduplication-id.ts";
import { MAX_EVENT_BYTES } from "../../../../shared/runtime/events/event-limits.ts";
import { createLogger } from "../../../../shared/runtime/logging/logger.ts";
import { noMetrics } from "../../../../shared/runtime/metrics/metrics.ts";
import { standardWebhooksKeysSchema } from "../../../../shared/runtime/webhook/standard-webhooks.ts";
import { loadWebhookConfig } from "../../../../shared/runtime/webhook/webhook-config.ts";
import { createWebhookDependencies } from "../../../../shared/runtime/webhook/webhook-dependencies.ts";
import { lambdaContext } from "../../../support/lambda.ts";
import {
  apiGatewayEvent,
  BAMBOO_KEY,
  bambooHeaders,
  NEW_KEY,
  NOW_SECONDS,
  OLD_KEY,
  STRANGER_KEY,
  signedHeaders,
  startWebhookHarness,
  type WebhookHarness,
} from "./webhook-harness.ts";

const event = (id: string, overrides: Record<string, unknown> = {}) => ({
  specversion: "1.0",
  id,
  source: "urn:hr:test",
  type: "user.offboarded",
  time: "2026-11-23T02:00:00Z",
  subject: `emp-${id}`,
  data: { accountPlatform: { login: `user-${id}` } },
  ...overrides,
});
const BATCH = "application/cloudevents-batch+json";
const employees = (...list: unknown[]) => JSON.stringify({ employees: list });
const status = (id: string, value: string, fields: Record<string, unknown> = {}) => ({
  id,
  changedFields: ["Status"],
  fields: { Status: value, "Employee #": `E-${id}`, ...fields },
});

let harness: WebhookHarness;
beforeAll(async () => {
  harness = await startWebhookHarness();
});
afterAll(() => harness.stop());

describe("POST /events: accepted", () => {
  it("answers 202 with the event id and enqueues it by subject and idempotency key", async () => {
    const webhook = await harness.build();
    const body = JSON.stringify(event("a1"));
    const response = await webhook.invoke({ headers: signedHeaders(body), body });
    expect(response.status).toBe(202);
    expect(response.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(response.body)).toEqual({ accepted: ["a1"] });
    const [message, ...others] = await webhook.drain();
    expect(others).toEqual([]);
    expect(message?.Body).toBe(body);
    expect(message?.Attributes?.MessageGroupId).toBe("emp-a1");
    expect(message?.Attributes?.MessageDeduplicationId).toBe(
      sourceDeduplicationId({ source: "urn:hr:test", id: "a1" }),
    );
    // When it arrived: the consumer orders the event by no later than that.
    expect(message?.MessageAttributes?.[ARRIVAL_ATTRIBUTE]?.StringValue).toBe(
      new Date(NOW_SECONDS * 1000).toISOString(),
    );
    expect(webhook.metricLines.join("\n")).toMatch(/"WebhookAccepted":1/);
  });

  it("takes application/json and content-type parameters", async () => {
    const webhook = await harness.build();
    for (const [id, contentType] of [
      ["j1", "application/json"],
      ["j2", "application/cloudevents+json; charset=utf-8"],
      ["j3", "Application/JSON;charset=UTF-8"],
    ] as const) {
      const body = JSON.stringify(event(id));
      const response = await webhook.invoke({
        headers: signedHeaders(body, { contentType }),
        body,
      });
      expect(response.status, contentType).toBe(202);
    }
    expect(await webhook.depth()).toBe(3);
  });

  it("enqueues a redelivered webhook once (deduplication by source and id)", async () => {
    const webhook = await harness.build();
    const body = JSON.stringify(event("dup"));
    expect((await webhook.invoke({ headers: signedHeaders(body), body })).status).toBe(202);
    const again = signedHeaders(body, { id: "msg_2", timestamp: NOW_SECONDS + 60 });
    expect((await webhook.invoke({ headers: again, body })).status).toBe(202);
    expect(await webhook.drain()).toHaveLength(1);
  });

  it("accepts timestamps just inside the five-minute tolerance, both ways", async () => {
    const webhook = await harness.build();
    for (const [id, skew] of [
      ["t-old", -300],
      ["t-new", 300],
    ] as const) {
      const body = JSON.stringify(event(id));
      const headers = signedHeaders(body, { timestamp: NOW_SECONDS + skew });
      expect((await webhook.invoke({ headers, body })).status).toBe(202);
    }
  });

  it("normalises to the event contract: a trimmed field is enqueued trimmed", async () => {
    const webhook = await harness.build();
    const body = JSON.stringify(event("norm", { data: { accountPlatform: { login: "  jdoe " } } }));
    expect((await webhook.invoke({ headers: signedHeaders(body), body })).status).toBe(202);
    const [message] = await webhook.drain();
    expect(JSON.parse(message?.Body ?? "{}").data).toEqual({ accountPlatform: { login: "jdoe" } });
  });

  it("enqueues text SQS would refuse raw (U+FFFF, emoji) as JSON escapes of the same event", async () => {
    const webhook = await harness.build();
    const original = event("text", {
      data: { accountPlatform: { login: "zoë" }, reason: "left \uffff 🎉" },
    });
    const body = JSON.stringify(original);
    expect((await webhook.invoke({ headers: signedHeaders(body), body })).status).toBe(202);
    const [message] = await webhook.drain();
    expect(JSON.parse(message?.Body ?? "{}")).toEqual(original);
  });
});

describe("POST /events: rotation", () => {
  it("accepts the old and the new key while both are listed, and only the new one after", async () => {
    const webhook = await harness.build();
    const first = JSON.stringify(event("r1"));
    const second = JSON.stringify(event("r2"));
    const oldSigned = signedHeaders(first, { secret: OLD_KEY });
    expect((await webhook.invoke({ headers: oldSigned, body: first })).status).toBe(202);
    const newSigned = signedHeaders(second, { secret: NEW_KEY });
    expect((await webhook.invoke({ headers: newSigned, body: second })).status).toBe(202);

    webhook.keys.standardWebhooks.replace({ keys: [NEW_KEY] });
    const third = JSON.stringify(event("r3"));
    const stale = signedHeaders(third, { secret: OLD_KEY });
    expect((await webhook.invoke({ headers: stale, body: third })).status).toBe(401);
    expect(await webhook.drain()).toHaveLength(2);
  });

  it("accepts a header listing several signatures when any one of them matches any key", async () => {
    const webhook = await harness.build();
    const body = JSON.stringify(event("multi"));
    const stranger = signedHeaders(body, { secret: STRANGER_KEY })["webhook-signature"];
    const old = signedHeaders(body, { secret: OLD_KEY })["webhook-signature"];
    const headers = { ...signedHeaders(body), "webhook-signature": `v1a,xyz ${stranger} ${old}` };
    expect((await webhook.invoke({ headers, body })).status).toBe(202);
  });
});

describe("POST /events: keys limited to sources", () => {
  it("refuses with 403, naming the source, an event its key may not send; enqueues none", async () => {
    const webhook = await harness.build();
    webhook.keys.standardWebhooks.replace(
      standardWebhooksKeysSchema.parse({
        keys: [OLD_KEY, { key: NEW_KEY, sources: ["urn:hr:workday"] }],
      }),
    );
    const workday = JSON.stringify({ ...event("s1"), source: "urn:hr:workday" });
    const limited = { secret: NEW_KEY };
    const accepted = await webhook.invoke({
      headers: signedHeaders(workday, limited),
      body: workday,
    });
    expect(accepted.status).toBe(202);

    const other = JSON.stringify(event("s2"));
    const refused = await webhook.invoke({ headers: signedHeaders(other, limited), body: other });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({
      status: 403,
      detail: expect.stringContaining('source "urn:hr:test"'),
      problems: [{ path: "$.source", message: expect.stringContaining('"urn:hr:test"') }],
    });

    const batch = JSON.stringify([{ ...event("s3"), source: "urn:hr:workday" }, event("s4")]);
    const mixed = await webhook.invoke({
      headers: signedHeaders(batch, { ...limited, contentType: BATCH }),
      body: batch,
    });
    expect(mixed.status).toBe(403);
    expect(JSON.parse(mixed.body).problems).toEqual([
      { path: "$[1].source", message: expect.stringContaining('"urn:hr:test"') },
    ]);
    // A key listed plain may still send any source.
    const plain = await webhook.invoke({
      headers: signedHeaders(other, { secret: OLD_KEY }),
      body: other,
    });
    expect(plain.status).toBe(202);
    expect((await webhook.drain()).map((m) => JSON.parse(m.Body ?? "{}").subject)).toEqual([
      "emp-s1",
      "emp-s2",
    ]);
  });
});

describe("POST /events: refused", () => {
  it("answers 401 with no detail and enqueues nothing, and tells the operator which check failed", async () => {
    const webhook = await harness.build();
    const body = JSON.stringify(event("x1"));
    const good = signedHeaders(body);
    const without = (name: string) =>
      Object.fromEntries(Object.entries(good).filter(([key]) => key !== name));
    type Case = { headers: Record<string, string>; body: string; failedCheck: string };
    const cases: Record<string, Case> = {
      "unknown key": {
        headers: signedHeaders(body, { secret: STRANGER_KEY }),
        body,
        failedCheck: "no_key_matched",
      },
      "tampered body": {
        headers: good,
        body: body.replace("offboarded", "onboarded"),
        failedCheck: "no_key_matched",
      },
      "one byte more": { headers: good, body: `${body} `, failedCheck: "no_key_matched" },
      "replay, 301 s old": {
        headers: signedHeaders(body, { timestamp: NOW_SECONDS - 301 }),
        body,
        failedCheck: "timestamp_outside_window",
      },
      "301 s in the future": {
        headers: signedHeaders(body, { timestamp: NOW_SECONDS + 301 }),
        body,
        failedCheck: "timestamp_outside_window",
      },
      "another webhook-id": {
        headers: { ...good, "webhook-id": "msg_other" },
        body,
        failedCheck: "no_key_matched",
      },
      "no webhook-id": { headers: without("webhook-id"), body, failedCheck: "missing_header" },
      "no webhook-timestamp": {
        headers: without("webhook-timestamp"),
        body,
        failedCheck: "missing_header",
      },
      "no webhook-signature": {
        headers: without("webhook-signature"),
        body,
        failedCheck: "missing_header",
      },
      "only other versions": {
        headers: {
          ...good,
          "webhook-signature": good["webhook-signature"]?.replace("v1,", "v2,") ?? "",
        },
        body,
        failedCheck: "missing_header",
      },
      "timestamp not in seconds": {
        headers: { ...good, "webhook-timestamp": `${NOW_SECONDS}.0` },
        body,
        failedCheck: "timestamp_outside_window",
      },
      "no headers at all": {
        headers: { "content-type": "application/json" },
        body,
        failedCheck: "missing_header",
      },
    };
    for (const [name, { failedCheck, ...request }] of Object.entries(cases)) {
      webhook.logLines.length = 0;
      webhook.metricLines.length = 0;
      const response = await webhook.invoke(request);
      expect(response.status, name).toBe(401);
      expect(response.body, name).toBe("");
      expect(response.headers, name).toEqual({});
      const logged = webhook.logLines.map((line) => JSON.parse(line));
      expect(logged, name).toEqual([
        expect.objectContaining({
          level: "WARN",
          message: "Webhook refused: the signature did not verify",
          route: "events",
          failedCheck,
        }),
      ]);
      expect(
        webhook.metricLines.map((line) => JSON.parse(line)),
        name,
      ).toContainEqual(
        expect.objectContaining({ status: "401", reason: failedCheck, WebhookRejected: 1 }),
      );
    }
    expect(webhook.sent.calls).toBe(0);
    expect(await webhook.depth()).toBe(0);
  });

  it("names key_too_short when every configured key is too short to verify with", async () => {
    const short = `whsec_${Buffer.from("sixteen-bytes-ok").toString("base64")}`;
    const webhook = await harness.build({}, { keys: { standardWebhooks: { keys: [short] } } });
    const body = JSON.stringify(event("short"));
    const response = await webhook.invoke({
      headers: signedHeaders(body, { secret: short }),
      body,
    });
    expect(response.status).toBe(401);
    expect(JSON.parse(webhook.logLines[0] ?? "{}")).toMatchObject({ failedCheck: "key_too_short" });
  });

  it("answers 404 for another path and 405 with Allow for another method, before the signature", async () => {
    const webhook = await harness.build();
    for (const path of ["/other", "/", "/events/", "/EVENTS", "/constructor"]) {
      const response = await webhook.invoke({ path, body: "" });
      expect(response.status, path).toBe(404);
      expect(response.headers["content-type"]).toBe("application/problem+json");
    }
    for (const path of ["/events", "/bamboohr"]) {
      for (const method of ["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "post"]) {
        const body = JSON.stringify(event("m"));
        const response = await webhook.invoke({ path, method, headers: signedHeaders(body), body });
        expect(response.status, `${method} ${path}`).toBe(405);
        expect(response.headers.allow).toBe("POST");
        expect(response.headers["content-type"]).toBe("application/problem+json");
        expect(JSON.parse(response.body)).toMatchObject({
          status: 405,
          title: "Method Not Allowed",
        });
      }
    }
    expect(await webhook.depth()).toBe(0);
  });

  it("answers 413 above 256 KiB of raw bytes, before the signature", async () => {
    const webhook = await harness.build();
    const tooLarge = "x".repeat(256 * 1024 + 1);
    expect((await webhook.invoke({ body: tooLarge })).status).toBe(413);
    expect(
      (await webhook.invoke({ headers: signedHeaders(tooLarge), body: tooLarge })).status,
    ).toBe(413);
    // The limit is on the bytes as sent, not on API Gateway's base64 of them.
    const atLimit = "x".repeat(256 * 1024);
    const response = await webhook.invoke({
      headers: signedHeaders(atLimit),
      body: atLimit,
      base64: true,
    });
    expect(response.status).toBe(400);
  });

  it("answers 415 for another content type or charset, after the signature and before the schema", async () => {
    const webhook = await harness.build();
    const body = "not even json";
    for (const contentType of [
      "text/plain",
      "application/xml",
      "application/json; charset=utf-16",
      "",
    ]) {
      const response = await webhook.invoke({
        headers: signedHeaders(body, { contentType }),
        body,
      });
      expect(response.status, contentType).toBe(415);
      expect(JSON.parse(response.body).detail).toContain("application/cloudevents-batch+json");
    }
    const unsigned = await webhook.invoke({ headers: { "content-type": "text/plain" }, body });
    expect(unsigned.status).toBe(401);
  });

  it("answers 400 problem+json with JSON paths for an invalid event", async () => {
    const webhook = await harness.build();
    const body = JSON.stringify(event("bad", { type: "user.moved", data: {} }));
    const response = await webhook.invoke({ headers: signedHeaders(body), body });
    expect(response.status).toBe(400);
    expect(response.headers["content-type"]).toBe("application/problem+json");
    const problem = JSON.parse(response.body);
    expect(problem).toMatchObject({ type: "about:blank", title: "Bad Request", status: 400 });
    expect(problem.problems.map((p: { path: string }) => p.path)).toEqual(["$.type", "$.data"]);
    expect(await webhook.depth()).toBe(0);
  });

  it("accepts data.effectiveAt up to LIFECYCLE_MAX_SCHEDULE_DAYS ahead, and answers 400 beyond", async () => {
    const webhook = await harness.build();
    const daysAhead = (days: number) =>
      new Date(NOW_SECONDS * 1000 + days * 86_400_000).toISOString();
    const scheduled = (id: string, days: number) =>
      event(id, { data: { accountPlatform: { login: "jdoe" }, effectiveAt: daysAhead(days) } });
    const near = JSON.stringify(scheduled("near", 400));
    expect((await webhook.invoke({ headers: signedHeaders(near), body: near })).status).toBe(202);
    const far = JSON.stringify(scheduled("far", 401));
    const response = await webhook.invoke({ headers: signedHeaders(far), body: far });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).problems).toEqual([
      expect.objectContaining({ path: "$.data.effectiveAt" }),
    ]);
  });

  it("answers 400 for a body that is not JSON, not UTF-8, or an array sent as one event", async () => {
    const webhook = await harness.build();
    const cases: [string | Buffer, string, boolean][] = [
      ["{not json", "is not valid JSON", false],
      [Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), "is not valid UTF-8", true],
      ["", "is not valid JSON", false],
    ];
    for (const [body, message, base64] of cases) {
      const response = await webhook.invoke({ headers: signedHeaders(body), body, base64 });
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body).problems).toEqual([{ path: "$", message }]);
    }
    const array = JSON.stringify([event("arr")]);
    const response = await webhook.invoke({ headers: signedHeaders(array), body: array });
    expect(response.status).toBe(400);
    expect(await webhook.depth()).toBe(0);
  });
});

describe("POST /events: an event changes one person, never more", () => {
  const refusals: [string, Record<string, unknown>, string][] = [
    ["OSIS user id ..", { data: { osis: { tenantId: "t1", userId: ".." } } }, "$.data.osis.userId"],
    [
      "OSIS tenant id ..",
      { data: { osis: { tenantId: "..", userId: "u1" } } },
      "$.data.osis.tenantId",
    ],
    [
      "encoded dots",
      { data: { osis: { tenantId: "t1", userId: "%2e%2e" } } },
      "$.data.osis.userId",
    ],
    ["a slash", { data: { osis: { cdUserId: "a/b" } } }, "$.data.osis.cdUserId"],
    [
      "reconciliation's marker",
      { lifecyclecorrects: '["urn:hr:test","a1"]' },
      "$.lifecyclecorrects",
    ],
    ["a time decades ahead", { time: "2062-01-01T00:00:00Z" }, "$.time"],
    ["BambooHR's source", { source: "bamboohr" }, "$.source"],
    ["reconciliation's source", { source: "urn:lifecycle:reconcile" }, "$.source"],
    ["the SCIM route's source", { source: "urn:lifecycle:scim" }, "$.source"],
  ];

  it.each(refusals)("answers 400 naming the field: %s", async (_, overrides, path) => {
    const webhook = await harness.build();
    const body = JSON.stringify(event("wide", overrides));
    const response = await webhook.invoke({ headers: signedHeaders(body), body });
    expect(response.status).toBe(400);
    expect(response.headers["content-type"]).toBe("application/problem+json");
    expect(JSON.parse(response.body).problems).toEqual([expect.objectContaining({ path })]);
    expect(await webhook.depth()).toBe(0);
  });
});

describe("POST /events: base64 bodies", () => {
  it("verifies the decoded bytes of a base64-encoded body", async () => {
    const webhook = await harness.build();
    const body = JSON.stringify(event("b64", { data: { osis: { cdUserId: "zoë" } } }));
    const response = await webhook.invoke({ headers: signedHeaders(body), body, base64: true });
    expect(response.status).toBe(202);
    expect((await webhook.drain())[0]?.Body).toBe(body);
  });

  it("refuses a signature computed over the base64 text instead of the bytes", async () => {
    const webhook = await harness.build();
    const body = JSON.stringify(event("b64-wrong"));
    const headers = signedHeaders(Buffer.from(body).toString("base64"));
    expect((await webhook.invoke({ headers, body, base64: true })).status).toBe(401);
  });
});

describe("POST /events: batches", () => {
  it("refuses a batch with one bad event, listing every problem, and enqueues nothing", async () => {
    const webhook = await harness.build();
    const batch = [
      event("k1"),
      event("k2", { subject: "bad subject" }),
      event("k3", { time: "soon" }),
      event("k4"),
    ];
    const body = JSON.stringify(batch);
    const response = await webhook.invoke({
      headers: signedHeaders(body, { contentType: BATCH }),
      body,
    });
    expect(response.status).toBe(400);
    const paths = JSON.parse(response.body).problems.map((p: { path: string }) => p.path);
    expect(paths).toEqual(["$[1].subject", "$[2].time"]);
    expect(webhook.sent.calls).toBe(0);
    expect(await webhook.depth()).toBe(0);
  });

  it("enqueues a batch of 25 in SendMessageBatch calls of at most 10 entries", async () => {
    const webhook = await harness.build();
    const batch = Array.from({ length: 25 }, (_, i) => event(`n${i}`));
    const body = JSON.stringify(batch);
    const response = await webhook.invoke({
      headers: signedHeaders(body, { contentType: `${BATCH}; charset=utf-8` }),
      body,
    });
    expect(response.status).toBe(202);
    expect(JSON.parse(response.body).accepted).toEqual(batch.map((e) => e.id));
    expect(webhook.sent).toMatchObject({ calls: 3, entries: 25 });
    const groups = (await webhook.drain()).map((m) => m.Attributes?.MessageGroupId).sort();
    expect(groups).toEqual(batch.map((e) => e.subject).sort());
  });

  it("refuses an empty batch, one over 50 events, one that is no array, and an event over 64 KiB", async () => {
    const webhook = await harness.build();
    const huge = event("huge", { data: { accountPlatform: { login: "x" }, reason: "r" } });
    const padded = { ...huge, padding: "p".repeat(MAX_EVENT_BYTES) };
    const bodies = [
      "[]",
      JSON.stringify(Array.from({ length: 51 }, (_, i) => event(`o${i}`))),
      JSON.stringify(event("single")),
      JSON.stringify([event("fine"), padded]),
    ];
    const problems: unknown[] = [];
    for (const body of bodies) {
      const response = await webhook.invoke({
        headers: signedHeaders(body, { contentType: BATCH }),
        body,
      });
      expect(response.status).toBe(400);
      problems.push(...JSON.parse(response.body).problems);
    }
    expect(problems).toEqual([
      { path: "$", message: "must hold 1 to 50 events (it holds 0)" },
      { path: "$", message: "must hold 1 to 50 events (it holds 51)" },
      { path: "$", message: "must be a JSON array of events" },
      { path: "$[1]", message: expect.stringMatching(/^is \d+ bytes; the limit is 65536$/) },
    ]);
    expect(await webhook.depth()).toBe(0);
  });
});

describe("POST /events: the queue fails", () => {
  it("answers 503 when SQS refuses one entry, and the retry of the whole batch enqueues each event once", async () => {
    const webhook = await harness.build();
    let corrupt = true;
    // Makes the real queue refuse one entry: SQS does not accept U+0001 in a message body.
    webhook.sqs.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Entries?: { MessageBody?: string }[] };
        const second = input.Entries?.[1];
        if (corrupt && context.commandName === "SendMessageBatchCommand" && second) {
          second.MessageBody = `${second.MessageBody}\u0001`;
        }
        return next(args);
      },
      { step: "initialize", name: "corruptOneEntry", priority: "low" },
    );
    const batch = Array.from({ length: 12 }, (_, i) => event(`q${i}`));
    const body = JSON.stringify(batch);
    const headers = signedHeaders(body, { contentType: BATCH });

    const refused = await webhook.invoke({ headers, body });
    expect(refused.status).toBe(503);
    expect(refused.headers["retry-after"]).toBe("5");
    expect(refused.headers["content-type"]).toBe("application/problem+json");
    expect(await webhook.depth()).toBe(10); // every entry but the two corrupted ones got in
    expect(webhook.logLines.join("\n")).toMatch(/InvalidMessageContents/);

    corrupt = false;
    const retried = await webhook.invoke({ headers, body });
    expect(retried.status).toBe(202);
    const ids = (await webhook.drain()).map((m) => JSON.parse(m.Body ?? "{}").id).sort();
    expect(ids).toEqual(batch.map((e) => e.id).sort());
    expect(webhook.metricLines.join("\n")).toContain(
      '"status":"503","reason":"unavailable","WebhookRejected":1',
    );
  });

  it("answers 503 when the queue cannot be reached at all", async () => {
    const webhook = await harness.build({
      QUEUE_URL: "http://127.0.0.1:1/000000000000/missing.fifo",
    });
    const body = JSON.stringify(event("gone"));
    const response = await webhook.invoke({ headers: signedHeaders(body), body });
    expect(response.status).toBe(503);
  });

  it("answers 503, not 401, when the signing keys cannot be read", async () => {
    const failing: CredentialSource<SigningKeys> = {
      get: () => Promise.reject(new Error("Secrets Manager timed out")),
      refresh: () => Promise.reject(new Error("Secrets Manager timed out")),
    };
    const logLines: string[] = [];
    const dependencies = createWebhookDependencies({
      config: loadWebhookConfig({ QUEUE_URL: "http://127.0.0.1:1/000000000000/q.fifo" }),
      keys: { standardWebhooks: failing, bamboohr: failing },
      bamboohrApi: new StaticCredentialSource(undefined),
      logger: createLogger({ sink: (line) => logLines.push(line) }),
      metrics: noMetrics,
      now: () => NOW_SECONDS * 1000,
    });
    const handler = createWebhookHandler(dependencies);
    const body = JSON.stringify(event("keys"));
    const result = await handler(
      apiGatewayEvent({ headers: signedHeaders(body), body }),
      lambdaContext(),
    );
    dependencies.close();
    expect(result.statusCode).toBe(503);
    expect(logLines.join("\n")).toMatch(/could not read its signing keys/);
  });
});

describe("POST /bamboohr", () => {
  /** Without BambooHR's API the values in the body are taken, unordered (id from the content). */
  const withoutApi = { bamboohrApi: undefined };
  const id = (employeeId: string) => expect.stringMatching(new RegExp(`^${employeeId}-w\\d+-`));

  it("with BambooHR's API, enqueues a signal per status change for the consumer to read back", async () => {
    const webhook = await harness.build();
    const body = employees(status("201", "Inactive"), status("202", "Active"));
    const response = await webhook.invoke({
      path: "/bamboohr",
      headers: bambooHeaders(body),
      body,
    });
    expect(response.status).toBe(202);
    expect(JSON.parse(response.body).accepted).toEqual([
      `201-${NOW_SECONDS}`,
      `202-${NOW_SECONDS}`,
    ]);
    const queued = (await webhook.drain()).map((m) => JSON.parse(m.Body ?? "{}"));
    expect(queued.find((e) => e.subject === "201")).toEqual({
      specversion: "1.0",
      id: `201-${NOW_SECONDS}`,
      source: "bamboohr",
      type: "com.bamboohr.employee.changed",
      time: new Date(NOW_SECONDS * 1000).toISOString(),
      subject: "201",
      data: { employeeId: "201" },
    });
    expect(webhook.metricLines.join("\n")).not.toContain("BambooHrUnordered");
  });

  it("maps status changes to events, ignores and counts employees without one", async () => {
    const webhook = await harness.build({ BAMBOOHR_OSIS_CD_USER_FIELD: "Work Email" }, withoutApi);
    const body = employees(
      status("101", "Inactive", { "Work Email": "ann@example.com" }),
      status("102", "Active"),
      { id: "103", changedFields: ["Job Title"], fields: { Status: "Active" } },
      { id: 104, changedFields: [], fields: {} },
    );
    const response = await webhook.invoke({
      path: "/bamboohr",
      headers: bambooHeaders(body),
      body,
    });
    expect(response.status).toBe(202);
    expect(JSON.parse(response.body)).toEqual({ accepted: [id("101"), id("102")], ignored: 2 });
    const queued = (await webhook.drain()).map((m) => JSON.parse(m.Body ?? "{}"));
    expect(queued.find((e) => e.subject === "101")).toEqual({
      specversion: "1.0",
      id: id("101"),
      source: "bamboohr",
      type: "user.offboarded",
      time: "2026-11-23T02:13:20.000Z",
      subject: "101",
      data: {
        accountPlatform: { externalId: "E-101" },
        osis: { cdUserId: "ann@example.com" },
        reason: "BambooHR Status changed to Inactive",
      },
    });
    expect(queued.find((e) => e.subject === "102")).toMatchObject({
      type: "user.onboarded",
      data: { accountPlatform: { externalId: "E-102" } },
    });
    // Such events cannot be ordered: said in a warning, and counted.
    const warning = webhook.logLines
      .map((line) => JSON.parse(line))
      .find((r) => r.level === "WARN");
    expect(warning?.message).toMatch(/cannot be ordered/);
    const unordered = webhook.metricLines
      .map((line) => JSON.parse(line))
      .find((line) => "BambooHrUnordered" in line);
    expect(unordered?.BambooHrUnordered).toBe(2);
  });

  it("reads subject, login and OSIS user from the configured fields", async () => {
    const webhook = await harness.build(
      {
        BAMBOOHR_SUBJECT_FIELD: "Employee #",
        BAMBOOHR_LOGIN_FIELD: "Username",
        BAMBOOHR_OSIS_CD_USER_FIELD: "Username",
        BAMBOOHR_STATUS_FIELD: "Employment Status",
      },
      withoutApi,
    );
    const body = employees({
      id: "7",
      changedFields: ["Employment Status"],
      fields: { "Employment Status": "inactive", "Employee #": "emp-1001", Username: "jdoe" },
    });
    const response = await webhook.invoke({
      path: "/bamboohr",
      headers: bambooHeaders(body),
      body,
    });
    expect(response.status).toBe(202);
    const [message] = await webhook.drain();
    expect(message?.Attributes?.MessageGroupId).toBe("emp-1001");
    expect(JSON.parse(message?.Body ?? "{}")).toMatchObject({
      subject: "emp-1001",
      data: { accountPlatform: { login: "jdoe" }, osis: { cdUserId: "jdoe" } },
    });
  });

  it("answers 202 with nothing accepted when no employee's status changed, and sends nothing", async () => {
    const webhook = await harness.build();
    const body = employees({ id: "1", changedFields: ["Job Title"], fields: {} });
    const response = await webhook.invoke({
      path: "/bamboohr",
      headers: bambooHeaders(body),
      body,
    });
    expect(response.status).toBe(202);
    expect(JSON.parse(response.body)).toEqual({ accepted: [], ignored: 1 });
    expect(webhook.sent.calls).toBe(0);
  });

  it("enqueues a redelivered BambooHR webhook once", async () => {
    const webhook = await harness.build();
    const body = employees(status("5", "Inactive"));
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const response = await webhook.invoke({
        path: "/bamboohr",
        headers: bambooHeaders(body),
        body,
      });
      expect(response.status).toBe(202);
    }
    expect(await webhook.drain()).toHaveLength(1);
  });

  it("answers 401 to a wrong key, a tampered body, a stale or future timestamp, or no signature", async () => {
    const webhook = await harness.build();
    const body = employees(status("1", "Inactive"));
    const cases = {
      "wrong key": { headers: bambooHeaders(body, { key: "wrong" }), body },
      "tampered body": { headers: bambooHeaders(body), body: body.replace("Inactive", "Active") },
      "3 h 1 s old": { headers: bambooHeaders(body, { timestamp: NOW_SECONDS - 10_801 }), body },
      "301 s ahead": { headers: bambooHeaders(body, { timestamp: NOW_SECONDS + 301 }), body },
      "no signature": { headers: { "content-type": "application/json" }, body },
      "Standard Webhooks headers": { headers: signedHeaders(body), body },
    };
    const failedChecks: Record<keyof typeof cases, string> = {
      "wrong key": "no_key_matched",
      "tampered body": "no_key_matched",
      "3 h 1 s old": "timestamp_outside_window",
      "301 s ahead": "timestamp_outside_window",
      "no signature": "missing_header",
      "Standard Webhooks headers": "missing_header",
    };
    for (const [name, request] of Object.entries(cases)) {
      webhook.logLines.length = 0;
      const response = await webhook.invoke({ path: "/bamboohr", ...request });
      expect(response.status, name).toBe(401);
      expect(
        webhook.logLines.map((line) => JSON.parse(line)),
        name,
      ).toEqual([
        expect.objectContaining({
          route: "bamboohr",
          failedCheck: failedChecks[name as keyof typeof cases],
        }),
      ]);
    }
    expect(webhook.sent.calls).toBe(0);
  });

  it("accepts a signature up to BAMBOOHR_MAX_AGE_SECONDS old (BambooHR's retries), 300 s ahead at most", async () => {
    const webhook = await harness.build({ BAMBOOHR_MAX_AGE_SECONDS: "3600" });
    const body = employees(status("1", "Inactive"));
    const at = async (timestamp: number) =>
      (
        await webhook.invoke({
          path: "/bamboohr",
          headers: bambooHeaders(body, { timestamp }),
          body,
        })
      ).status;
    expect(await at(NOW_SECONDS - 3600)).toBe(202);
    expect(await at(NOW_SECONDS - 3601)).toBe(401);
    expect(await at(NOW_SECONDS + 300)).toBe(202);
    expect(await at(NOW_SECONDS + 301)).toBe(401);
  });

  it("answers 415 for a content type other than application/json", async () => {
    const webhook = await harness.build();
    const body = employees(status("1", "Inactive"));
    const headers = bambooHeaders(body, { contentType: "application/cloudevents+json" });
    expect((await webhook.invoke({ path: "/bamboohr", headers, body })).status).toBe(415);
  });

  it("enqueues the employees that map, and ignores, lists and logs those that cannot (202: a 4xx would drop the whole delivery)", async () => {
    const webhook = await harness.build({ BAMBOOHR_SUBJECT_FIELD: "Work Email" }, withoutApi);
    const body = employees(
      status("1", "Inactive", { "Work Email": "fine@example.com" }),
      { id: "2", changedFields: ["Status"], fields: { "Work Email": "a@example.com" } },
      status("3", "On leave", { "Work Email": "c@example.com" }),
      status("4", "Inactive"),
      { id: "5", changedFields: ["Status"], fields: { Status: "Active", "Work Email": "e@x.io" } },
      status("6", "Active", { "Work Email": "has space@example.com" }),
    );
    const response = await webhook.invoke({
      path: "/bamboohr",
      headers: bambooHeaders(body),
      body,
    });
    expect(response.status).toBe(202);
    const answer = JSON.parse(response.body);
    expect(answer.accepted).toEqual([id("1")]);
    expect(answer.ignored).toBe(5);
    expect(answer.problems).toEqual([
      {
        path: "$.employees[1].fields.Status",
        message: expect.stringMatching(/^is missing, though changedFields names it/),
      },
      {
        path: "$.employees[2].fields.Status",
        message: 'must be "Active" or "Inactive" (is "On leave")',
      },
      {
        path: '$.employees[3].fields["Work Email"]',
        message: "is missing: the event's subject comes from it",
      },
      { path: "$.employees[4].fields", message: 'has no value in any target field ("Employee #")' },
      {
        path: "$.employees[5]",
        message: expect.stringMatching(/^maps to an invalid event: \$\.subject must be/),
      },
    ]);
    expect(await webhook.depth()).toBe(1);
    const warned = webhook.logLines
      .map((line) => JSON.parse(line))
      .filter((r) => r.level === "WARN" && r.employeeId !== undefined);
    expect(warned.map((record) => record.employeeId)).toEqual(["2", "3", "4", "5", "6"]);
  });

  it("answers 400 for a body that is not BambooHR's shape", async () => {
    const webhook = await harness.build();
    const body = JSON.stringify({ employees: [{ id: "", changedFields: "Status", fields: [] }] });
    const response = await webhook.invoke({
      path: "/bamboohr",
      headers: bambooHeaders(body),
      body,
    });
    expect(response.status).toBe(400);
    const paths = JSON.parse(response.body).problems.map((p: { path: string }) => p.path);
    expect(paths).toEqual([
      "$.employees[0].id",
      "$.employees[0].changedFields",
      "$.employees[0].fields",
    ]);
  });
});

describe("what the webhook writes", () => {
  it("logs accepted and refused events after the signature holds, and never a key or signature", async () => {
    const webhook = await harness.build();
    const good = JSON.stringify(event("log1"));
    const bad = JSON.stringify(event("log2", { subject: "no spaces allowed" }));
    await webhook.invoke({ headers: signedHeaders(good), body: good });
    await webhook.invoke({ headers: signedHeaders(bad), body: bad });
    const bamboo = employees(status("9", "Inactive"));
    await webhook.invoke({ path: "/bamboohr", headers: bambooHeaders(bamboo), body: bamboo });
    const records = webhook.logLines.map((line) => JSON.parse(line));
    expect(records.map((r) => r.message)).toEqual([
      "Webhook events accepted",
      "Webhook refused: invalid events",
      "Webhook events accepted",
    ]);
    expect(records[0]).toMatchObject({ route: "events", webhookId: "msg_1", eventIds: ["log1"] });
    const everything = webhook.logLines.join("\n");
    for (const secret of [OLD_KEY, NEW_KEY, NEW_KEY.slice(6), BAMBOO_KEY]) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).not.toContain(signedHeaders(good)["webhook-signature"]);
    expect(everything).not.toContain(bambooHeaders(bamboo)["x-bamboohr-signature"]);
  });

  it("counts WebhookRejected by status and reason", async () => {
    const webhook = await harness.build();
    await webhook.invoke({ path: "/nope", body: "" });
    await webhook.invoke({ body: "{}" });
    await webhook.invoke({ method: "GET", body: "" });
    const big = "x".repeat(300 * 1024);
    await webhook.invoke({ headers: signedHeaders(big), body: big });
    const body = "{}";
    await webhook.invoke({ headers: signedHeaders(body), body });
    const metrics = webhook.metricLines.map((line) => JSON.parse(line));
    const rejected = (status: string, reason: string) =>
      expect.objectContaining({ service: "webhook", status, reason, WebhookRejected: 1 });
    expect(metrics).toEqual(
      expect.arrayContaining([
        rejected("404", "not_found"),
        rejected("401", "missing_header"),
        rejected("405", "method_not_allowed"),
        rejected("413", "too_large"),
        rejected("400", "invalid_events"),
      ]),
    );
    expect(metrics[0]._aws.CloudWatchMetrics[0].Dimensions).toEqual([
      ["service", "status", "reason"],
    ]);
  });

  it("counts BambooHrIgnored for the employees a delivery named that became no event", async () => {
    const webhook = await harness.build();
    const body = JSON.stringify({
      employees: [{ id: "900", changedFields: [], fields: {} }],
    });
    const response = await webhook.invoke({
      path: "/bamboohr",
      headers: bambooHeaders(body),
      body,
    });
    expect(response.status).toBe(202);
    expect(JSON.parse(response.body)).toMatchObject({ ignored: 1 });
    expect(webhook.metricLines.map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({ service: "webhook", BambooHrIgnored: 1 }),
    );
  });

  it("publishes ColdStart on the first invocation of an on-demand instance only", async () => {
    vi.stubEnv("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand"); // Lambda sets it
    const webhook = await harness.build();
    vi.unstubAllEnvs();
    await webhook.invoke({ path: "/nope", body: "" });
    await webhook.invoke({ path: "/nope", body: "" });
    const coldStarts = webhook.metricLines
      .map((line) => JSON.parse(line))
      .filter((metric) => metric.ColdStart !== undefined);
    expect(coldStarts).toEqual([
      expect.objectContaining({ service: "webhook", function_name: "consumer", ColdStart: 1 }),
    ]);
  });
});
