import { createHmac } from "node:crypto";
import { SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqsClient, LOCAL_AWS_CREDENTIALS } from "../../../shared/aws/aws-clients.ts";
import { sourceDeduplicationId } from "../../../shared/events/deduplication-id.ts";
import { signStandardWebhook } from "../../../shared/webhook/standard-webhooks.ts";
import { BAMBOO_KEY, NEW_KEY, OLD_KEY, startWebhookHarness } from "./webhook-harness.ts";

const NOW_SECONDS = 1_795_400_000;
const event = (id: string, overrides: Record<string, unknown> = {}) => ({
  specversion: "1.0",
  id,
  source: "urn:hr:test",
  type: "user.offboarded",
  time: "2026-11-23T09:00:00Z",
  subject: `emp-${id}`,
  data: { accountPlatform: { login: `user-${id}` } },
  ...overrides,
});

function signed(
  body: string,
  options: { secret?: string; timestamp?: number; contentType?: string } = {},
) {
  return {
    ...signStandardWebhook({
      secret: options.secret ?? NEW_KEY,
      id: "msg_1",
      timestamp: options.timestamp ?? NOW_SECONDS,
      body,
    }),
    "content-type": options.contentType ?? "application/cloudevents+json",
  };
}

let harness: Awaited<ReturnType<typeof startWebhookHarness>>;
beforeAll(async () => {
  harness = await startWebhookHarness({ nowMs: NOW_SECONDS * 1000 });
});
afterAll(() => harness.stop());

describe("POST /events", () => {
  it("accepts a signed event with 202 and enqueues it by subject and idempotency key", async () => {
    const { invoke, queued } = await harness.build();
    const body = JSON.stringify(event("a1"));
    const response = await invoke({ headers: signed(body), body });
    expect(response.status).toBe(202);
    expect(JSON.parse(response.body)).toEqual({ accepted: ["a1"] });
    const [message] = await queued();
    expect(message?.Body).toBe(body);
    expect(message?.Attributes?.MessageGroupId).toBe("emp-a1");
    expect(message?.Attributes?.MessageDeduplicationId).toBe(
      sourceDeduplicationId({ source: "urn:hr:test", id: "a1" }),
    );
  });

  it("deduplicates a redelivered webhook", async () => {
    const { invoke, queued } = await harness.build();
    const body = JSON.stringify(event("dup"));
    expect((await invoke({ headers: signed(body), body })).status).toBe(202);
    expect((await invoke({ headers: signed(body), body })).status).toBe(202);
    expect(await queued()).toHaveLength(1);
  });

  it("accepts both the old and the new key during a rotation", async () => {
    const { invoke, queued } = await harness.build();
    const first = JSON.stringify(event("r1"));
    const second = JSON.stringify(event("r2"));
    expect(
      (await invoke({ headers: signed(first, { secret: OLD_KEY }), body: first })).status,
    ).toBe(202);
    expect(
      (await invoke({ headers: signed(second, { secret: NEW_KEY }), body: second })).status,
    ).toBe(202);
    expect(await queued()).toHaveLength(2);
  });

  it("accepts a header listing several signatures when any one matches", async () => {
    const { invoke } = await harness.build();
    const body = JSON.stringify(event("multi"));
    const headers = signed(body);
    headers["webhook-signature"] =
      `v1,${Buffer.from("wrong").toString("base64")} ${headers["webhook-signature"]}`;
    expect((await invoke({ headers, body })).status).toBe(202);
  });

  it("refuses with 401 and no detail: unknown key, tampered body, replay, future timestamp, no headers", async () => {
    const { invoke, queued } = await harness.build();
    const body = JSON.stringify(event("x1"));
    const stranger = `whsec_${Buffer.from("someone-else").toString("base64")}`;
    const cases = [
      { headers: signed(body, { secret: stranger }), body },
      { headers: signed(body), body: body.replace("offboarded", "onboarded") },
      { headers: signed(body, { timestamp: NOW_SECONDS - 301 }), body },
      { headers: signed(body, { timestamp: NOW_SECONDS + 301 }), body },
      { headers: { "content-type": "application/json" }, body },
    ];
    for (const request of cases) {
      const response = await invoke(request);
      expect(response.status).toBe(401);
      expect(response.body).toBe("");
    }
    expect(await queued()).toHaveLength(0);
  });

  it("accepts timestamps just inside the five-minute tolerance both ways", async () => {
    const { invoke } = await harness.build();
    for (const [id, skew] of [
      ["t-old", -300],
      ["t-new", 300],
    ] as const) {
      const body = JSON.stringify(event(id));
      expect(
        (await invoke({ headers: signed(body, { timestamp: NOW_SECONDS + skew }), body })).status,
      ).toBe(202);
    }
  });

  it("verifies the raw bytes of a base64-encoded body", async () => {
    const { invoke, queued } = await harness.build();
    const body = JSON.stringify(event("b64", { data: { osis: { cdUserId: "zoë" } } }));
    expect((await invoke({ headers: signed(body), body, base64: true })).status).toBe(202);
    expect((await queued())[0]?.Body).toBe(body);
  });

  it("answers 404 for another route and 405 for another method", async () => {
    const { invoke } = await harness.build();
    expect((await invoke({ path: "/other", body: "" })).status).toBe(404);
    const response = await invoke({ method: "GET", body: "" });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe("POST");
  });

  it("answers 413 above 256 KiB before looking at the signature", async () => {
    const { invoke } = await harness.build();
    expect((await invoke({ body: "x".repeat(256 * 1024 + 1) })).status).toBe(413);
  });

  it("answers 415 for another content type, and accepts parameters", async () => {
    const { invoke } = await harness.build();
    const body = JSON.stringify(event("ct"));
    expect(
      (await invoke({ headers: signed(body, { contentType: "text/plain" }), body })).status,
    ).toBe(415);
    const withCharset = signed(body, { contentType: "application/json; charset=utf-8" });
    expect((await invoke({ headers: withCharset, body })).status).toBe(202);
  });

  it("answers 400 problem+json with JSON paths for an invalid event", async () => {
    const { invoke } = await harness.build();
    const body = JSON.stringify(event("bad", { type: "user.moved", data: {} }));
    const response = await invoke({ headers: signed(body), body });
    expect(response.status).toBe(400);
    expect(response.headers["content-type"]).toBe("application/problem+json");
    const paths = JSON.parse(response.body).problems.map((p: { path: string }) => p.path);
    expect(paths).toEqual(expect.arrayContaining(["$.type", "$.data"]));
  });

  it("answers 400 for a body that is not JSON", async () => {
    const { invoke } = await harness.build();
    const body = "{not json";
    const response = await invoke({ headers: signed(body), body });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).problems).toEqual([
      { path: "$", message: "is not valid JSON" },
    ]);
  });

  it("takes a batch all or nothing: one bad event refuses the batch and enqueues nothing", async () => {
    const { invoke, queued } = await harness.build();
    const batch = [
      event("k1"),
      event("k2", { subject: "bad subject" }),
      event("k3", { time: "soon" }),
    ];
    const body = JSON.stringify(batch);
    const response = await invoke({
      headers: signed(body, { contentType: "application/cloudevents-batch+json" }),
      body,
    });
    expect(response.status).toBe(400);
    const paths = JSON.parse(response.body).problems.map((p: { path: string }) => p.path);
    expect(paths).toEqual(["$[1].subject", "$[2].time"]);
    expect(await queued()).toHaveLength(0);
  });

  it("enqueues a batch of 25 in SendMessageBatch calls of at most 10", async () => {
    const { invoke, queued } = await harness.build();
    const batch = Array.from({ length: 25 }, (_, i) => event(`n${i}`));
    const body = JSON.stringify(batch);
    const response = await invoke({
      headers: signed(body, { contentType: "application/cloudevents-batch+json" }),
      body,
    });
    expect(response.status).toBe(202);
    expect(JSON.parse(response.body).accepted).toHaveLength(25);
    let seen = 0;
    for (let round = 0; round < 5; round += 1) seen += (await queued()).length;
    expect(seen).toBe(25);
  });

  it("refuses a batch over 50 events", async () => {
    const { invoke } = await harness.build();
    const body = JSON.stringify(Array.from({ length: 51 }, (_, i) => event(`o${i}`)));
    const response = await invoke({
      headers: signed(body, { contentType: "application/cloudevents-batch+json" }),
      body,
    });
    expect(response.status).toBe(400);
  });

  it("answers 503 when SQS refuses an entry, so the sender retries", async () => {
    const failing = createSqsClient({
      endpoint: "http://127.0.0.1:9",
      credentials: LOCAL_AWS_CREDENTIALS,
      maxAttempts: 1,
    });
    failing.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === SendMessageBatchCommand.name) {
          return {
            output: {
              Successful: [],
              Failed: [{ Id: "0", Code: "InternalError", SenderFault: false }],
              $metadata: {},
            },
            response: {},
          } as never;
        }
        return next(args);
      },
      { step: "initialize" },
    );
    const { invoke } = await harness.build({}, failing);
    const body = JSON.stringify(event("s1"));
    const response = await invoke({ headers: signed(body), body });
    expect(response.status).toBe(503);
    expect(response.headers["retry-after"]).toBe("5");
  });
});

describe("POST /bamboohr", () => {
  const timestamp = String(NOW_SECONDS);
  const bambooHeaders = (body: string, key = BAMBOO_KEY, ts = timestamp) => ({
    "content-type": "application/json",
    "x-bamboohr-timestamp": ts,
    "x-bamboohr-signature": createHmac("sha256", key)
      .update(body + ts)
      .digest("hex"),
  });

  it("maps status changes to events and ignores employees without one", async () => {
    const { invoke, queued } = await harness.build({ BAMBOOHR_OSIS_CD_USER_FIELD: "Work Email" });
    const body = JSON.stringify({
      employees: [
        {
          id: "101",
          changedFields: ["Status"],
          fields: { Status: "Inactive", "Employee #": "E-101", "Work Email": "ann@example.com" },
        },
        {
          id: "102",
          changedFields: ["Status"],
          fields: { Status: "Active", "Employee #": "E-102" },
        },
        {
          id: "103",
          changedFields: ["Job Title"],
          fields: { Status: "Active", "Employee #": "E-103" },
        },
      ],
    });
    const response = await invoke({ path: "/bamboohr", headers: bambooHeaders(body), body });
    expect(response.status).toBe(202);
    expect(JSON.parse(response.body)).toEqual({
      accepted: [`101-${timestamp}`, `102-${timestamp}`],
      ignored: 1,
    });
    const bodies = (await queued()).map((m) => JSON.parse(m.Body ?? "{}"));
    const ann = bodies.find((b) => b.subject === "101");
    expect(ann).toMatchObject({
      source: "bamboohr",
      id: `101-${timestamp}`,
      type: "user.offboarded",
      time: new Date(NOW_SECONDS * 1000).toISOString(),
      data: { accountPlatform: { externalId: "E-101" }, osis: { cdUserId: "ann@example.com" } },
    });
  });

  it("refuses a wrong key, a tampered body and a stale timestamp with 401", async () => {
    const { invoke, queued } = await harness.build();
    const body = JSON.stringify({
      employees: [
        { id: "1", changedFields: ["Status"], fields: { Status: "Inactive", "Employee #": "E-1" } },
      ],
    });
    expect(
      (await invoke({ path: "/bamboohr", headers: bambooHeaders(body, "wrong"), body })).status,
    ).toBe(401);
    expect(
      (await invoke({ path: "/bamboohr", headers: bambooHeaders(body), body: `${body} ` })).status,
    ).toBe(401);
    const old = String(NOW_SECONDS - 600);
    expect(
      (await invoke({ path: "/bamboohr", headers: bambooHeaders(body, BAMBOO_KEY, old), body }))
        .status,
    ).toBe(401);
    expect(await queued()).toHaveLength(0);
  });

  it("answers 400 when a mapped employee cannot form a valid event", async () => {
    const { invoke } = await harness.build();
    const body = JSON.stringify({
      employees: [{ id: "7", changedFields: ["Status"], fields: { Status: "Inactive" } }],
    });
    const response = await invoke({ path: "/bamboohr", headers: bambooHeaders(body), body });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).problems[0].path).toBe("$[0].data");
  });
});

describe("logging", () => {
  it("never writes a signing key or a signature", () => {
    const all = harness.logLines.join("\n");
    for (const secret of [OLD_KEY, NEW_KEY, BAMBOO_KEY, OLD_KEY.slice(6)])
      expect(all).not.toContain(secret);
    expect(all).not.toMatch(/v1,/);
  });
});
