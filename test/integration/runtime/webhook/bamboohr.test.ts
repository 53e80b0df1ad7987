import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createWebhookHandler } from "../../../../functions/webhook/create-handler.ts";
import {
  type DynamoDbServer,
  startDynamoDbServer,
} from "../../../../local/stand-ins/dynamodb-server.ts";
import {
  createDynamoDbClient,
  LOCAL_AWS_CREDENTIALS,
} from "../../../../shared/runtime/aws/aws-clients.ts";
import { createLedgerTable } from "../../../../shared/runtime/ledger/create-ledger-table.ts";
import { DynamoDbLedger } from "../../../../shared/runtime/ledger/dynamodb-ledger.ts";
import { lambdaContext } from "../../../support/lambda.ts";
import {
  apiGatewayEvent,
  type BuiltWebhook,
  bambooHeaders,
  NOW_SECONDS,
  signedHeaders,
  startWebhookHarness,
  type WebhookHarness,
} from "./webhook-harness.ts";

/**
 * /bamboohr as BambooHR uses it today: both formats, both encodings, status changes as
 * signals (the consumer reads the employee back: test/integration/runtime/consumer/), deleted
 * employees read from BambooHR's API (the simulator, over real HTTP) or the ledger, and the
 * answer codes that decide whether BambooHR retries (it retries 5xx only).
 */
const BODY_TIME = "2026-11-23T02:10:00+0000";
const BODY_SECONDS = Date.parse("2026-11-23T02:10:00Z") / 1000;
const LEDGER_TABLE = "bamboohr-ledger";

let harness: WebhookHarness;
let dynamo: DynamoDbServer;
let dynamodb: DynamoDBClient;
beforeAll(async () => {
  [harness, dynamo] = await Promise.all([startWebhookHarness(), startDynamoDbServer()]);
  dynamodb = createDynamoDbClient({
    endpoint: dynamo.endpoint,
    credentials: LOCAL_AWS_CREDENTIALS,
  });
  await createLedgerTable(dynamodb, LEDGER_TABLE);
});
afterEach(() => {
  harness.bamboohr.faults.reset();
  harness.bamboohr.calls.clear();
});
afterAll(async () => {
  dynamodb.destroy();
  await Promise.all([harness.stop(), dynamo.stop()]);
});

let nextEmployee = 500;
/** A fresh employee in BambooHR (the simulator), by API alias. */
function employee(fields: Record<string, string | null>): string {
  nextEmployee += 1;
  const id = String(nextEmployee);
  harness.bamboohr.seedEmployee({ id, employeeNumber: `E${id}`, ...fields });
  return id;
}

const eventBody = (type: string, employeeId: string, changedFields = ["status"]) =>
  JSON.stringify({
    type,
    timestamp: BODY_TIME,
    data: { companyId: "12345", employeeId, changedFields },
  });

async function deliver(webhook: BuiltWebhook, body: string, contentType = "application/json") {
  const response = await webhook.invoke({
    path: "/bamboohr",
    headers: bambooHeaders(body, { contentType }),
    body,
  });
  return { status: response.status, answer: JSON.parse(response.body || "{}") };
}

const eventId = (employeeId: string, type = "employee.updated") =>
  `${employeeId}-${type}-${BODY_SECONDS}`;

describe("event-based deliveries", () => {
  it("enqueues a signal for the consumer to read the employee back: no API call in the webhook", async () => {
    const webhook = await harness.build({ BAMBOOHR_OSIS_CD_USER_FIELD: "workEmail" });
    const id = employee({ status: "Inactive", workEmail: "ann@acme.example" });
    const { status, answer } = await deliver(webhook, eventBody("employee.updated", id));
    expect(status).toBe(202);
    expect(answer).toEqual({ accepted: [eventId(id)], ignored: 0 });
    const [message] = await webhook.drain();
    expect(message?.Attributes?.MessageGroupId).toBe(id);
    expect(JSON.parse(message?.Body ?? "{}")).toEqual({
      specversion: "1.0",
      id: eventId(id),
      source: "bamboohr",
      type: "com.bamboohr.employee.changed",
      time: new Date(NOW_SECONDS * 1000).toISOString(),
      subject: id,
      data: { employeeId: id },
    });
    expect(harness.bamboohr.calls.all()).toEqual([]);
  });

  it("ignores, without reading the API, a change that is not the status, and employee.created", async () => {
    const webhook = await harness.build();
    const id = employee({ status: "Active" });
    for (const body of [
      eventBody("employee.updated", id, ["jobTitle"]),
      eventBody("employee.created", id, []),
    ]) {
      expect(await deliver(webhook, body)).toEqual({
        status: 202,
        answer: { accepted: [], ignored: 1 },
      });
    }
    expect(harness.bamboohr.calls.all()).toEqual([]);
    expect(webhook.sent.calls).toBe(0);
  });

  it("enqueues one delivery once, however often BambooHR sends it (retries keep the body timestamp)", async () => {
    const webhook = await harness.build();
    const id = employee({ status: "Inactive" });
    for (let retry = 0; retry < 3; retry += 1) {
      expect((await deliver(webhook, eventBody("employee.updated", id))).answer.accepted).toEqual([
        eventId(id),
      ]);
    }
    expect(await webhook.drain()).toHaveLength(1);
  });

  it("answers 503 (BambooHR retries) while the API secret is not filled in: it names no values", async () => {
    const id = employee({ status: "Inactive" });
    const unfilled = await harness.build({}, { bamboohrApi: undefined });
    expect((await deliver(unfilled, eventBody("employee.updated", id))).status).toBe(503);
    expect(unfilled.logLines.join("\n")).toMatch(/still holds the placeholder/);
    expect(unfilled.sent.calls).toBe(0);
  });
});

describe("employee.deleted", () => {
  async function ledgerKnows(subject: string) {
    const ledger = new DynamoDbLedger({ client: dynamodb, tableName: LEDGER_TABLE });
    const now = Date.now();
    const claim = await ledger.claim(subject, { owner: "test", expiresAt: now + 60_000, now });
    if (!claim.claimed) throw new Error("the test could not claim the person");
    await ledger.release(
      {
        ...claim.record,
        resolved: {
          accountPlatform: { userId: "1c234e69-5469-424a-a6d1-ff5658b387a6" },
          osis: { tenantId: "tenant-1", userId: "jdoe" },
        },
      },
      "test",
    );
  }
  const withLedger = (env: Record<string, string> = {}) =>
    harness.build({ LEDGER_TABLE, ...env }, { aws: { dynamodbEndpoint: dynamo.endpoint } });

  it("offboards a deleted employee the API can no longer read by the ids the ledger last resolved", async () => {
    const webhook = await withLedger();
    const id = employee({ status: "Active" });
    await ledgerKnows(id);
    harness.bamboohr.deleteEmployee(id);
    const { status, answer } = await deliver(webhook, eventBody("employee.deleted", id, []));
    expect(status).toBe(202);
    expect(answer.accepted).toEqual([eventId(id, "employee.deleted")]);
    expect(JSON.parse((await webhook.drain())[0]?.Body ?? "{}")).toMatchObject({
      type: "user.offboarded",
      subject: id,
      data: {
        accountPlatform: { userId: "1c234e69-5469-424a-a6d1-ff5658b387a6" },
        osis: { tenantId: "tenant-1", userId: "jdoe" },
      },
    });
  });

  it("answers 503 within the function's time when the ledger's lookups are too slow (BambooHR sends again)", async () => {
    const webhook = await withLedger();
    const id = employee({ status: "Active" });
    await ledgerKnows(id);
    harness.bamboohr.deleteEmployee(id);
    dynamo.faults.setLatency(3_000);
    try {
      const body = eventBody("employee.deleted", id, []);
      const handler = createWebhookHandler(webhook.dependencies);
      const started = Date.now();
      // 2 s left in the function: the read may take 1 s, the ledger answers in 3.
      const result = await handler(
        apiGatewayEvent({ path: "/bamboohr", headers: bambooHeaders(body), body }),
        lambdaContext(2_000),
      );
      expect(result.statusCode).toBe(503);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(webhook.logLines.join("\n")).toContain("DeadlineExceededError");
      expect(await webhook.depth()).toBe(0);
    } finally {
      dynamo.faults.setLatency(0);
    }
  });

  it("keeps accepting /events while the ledger is down: only a deleted employee needs it", async () => {
    const webhook = await withLedger();
    dynamo.faults.startOutage("throttle");
    try {
      const body = JSON.stringify({
        specversion: "1.0",
        id: "evt-ledger-down",
        source: "urn:hr:workday",
        type: "user.offboarded",
        time: "2026-11-23T02:00:00Z",
        subject: "emp-ledger-down",
        data: { accountPlatform: { login: "emp-ledger-down@example.com" } },
      });
      const response = await webhook.invoke({ headers: signedHeaders(body), body });
      expect(response.status).toBe(202);
      expect(await webhook.depth()).toBe(1);
    } finally {
      dynamo.faults.endOutage();
    }
  });

  it("offboards by the employee's fields while the API can still read it", async () => {
    const webhook = await withLedger();
    const id = employee({ status: "Active" });
    const { answer } = await deliver(webhook, eventBody("employee.deleted", id, []));
    expect(answer.accepted).toEqual([eventId(id, "employee.deleted")]);
    expect(JSON.parse((await webhook.drain())[0]?.Body ?? "{}")).toMatchObject({
      type: "user.offboarded",
      data: { accountPlatform: { externalId: `E${id}` } },
    });
  });

  it("ignores it, with a warning, when the ledger knows nothing, or when told to (BAMBOOHR_DELETED_MEANS=ignore)", async () => {
    const unknown = await withLedger();
    const { answer } = await deliver(unknown, eventBody("employee.deleted", "888888", []));
    expect(answer).toEqual({ accepted: [], ignored: 1 });
    expect(unknown.logLines.join("\n")).toMatch(/"employeeId":"888888"/);

    const ignoring = await withLedger({ BAMBOOHR_DELETED_MEANS: "ignore" });
    const id = employee({ status: "Active" });
    expect((await deliver(ignoring, eventBody("employee.deleted", id, []))).answer).toEqual({
      accepted: [],
      ignored: 1,
    });
    expect(harness.bamboohr.calls.all().filter((call) => call.path.endsWith(`/${id}`))).toEqual([]);
  });
});

describe("large field-based deliveries", () => {
  const employees = (count: number) =>
    JSON.stringify({
      employees: Array.from({ length: count }, (_, index) => ({
        id: String(10_000 + index),
        action: "Updated",
        changedFields: ["Status", "Employment Status"],
        fields: {
          Status: { value: "Inactive" },
          "Employment Status": { value: "Terminated" },
          "Employee #": { value: `emp-${index}` },
          "Work Email": { value: `person-${index}@example.com` },
          "Job Title": { value: "Software Engineer" },
        },
      })),
    });

  it("accepts 1,000 employees in one delivery, above 256 KiB, enqueued by parallel SendMessageBatch calls", async () => {
    const webhook = await harness.build();
    const body = employees(1_000);
    expect(Buffer.byteLength(body)).toBeGreaterThan(256 * 1024);
    const { status, answer } = await deliver(webhook, body);
    expect(status).toBe(202);
    expect(answer.accepted).toHaveLength(1_000);
    expect(webhook.sent).toMatchObject({ calls: 100, entries: 1_000 });
    expect(webhook.sent.peakInFlight).toBeGreaterThan(1);
    expect(await webhook.depth()).toBe(1_000);
  });

  it("answers 413 to a delivery of 1,001 employees and enqueues none of them", async () => {
    const webhook = await harness.build();
    const { status, answer } = await deliver(webhook, employees(1_001));
    expect(status).toBe(413);
    expect(answer.problems).toEqual([
      { path: "$.employees", message: expect.stringMatching(/^holds 1001 employees/) },
    ]);
    expect(webhook.sent.calls).toBe(0);
  });
});

describe("encodings and signatures", () => {
  it("reads both formats form-encoded (format: form-encoded) as their JSON twins", async () => {
    const webhook = await harness.build();
    const id = employee({ status: "Inactive" });
    const eventForm = new URLSearchParams({
      type: "employee.updated",
      timestamp: BODY_TIME,
      "data[companyId]": "12345",
      "data[employeeId]": id,
      "data[changedFields][]": "status",
    }).toString();
    const form = "application/x-www-form-urlencoded";
    expect((await deliver(webhook, eventForm, form)).answer.accepted).toEqual([eventId(id)]);

    const fieldForm = new URLSearchParams({
      "employees[0][id]": "42",
      "employees[0][changedFields][0]": "Status",
      "employees[0][fields][Status][value]": "Inactive",
      "employees[0][fields][Employee #][value]": "E42",
    }).toString();
    const [signal] = (await webhook.drain()).map((message) => JSON.parse(message.Body ?? "{}"));
    expect([signal.subject, signal.type]).toEqual([id, "com.bamboohr.employee.changed"]);
    // The field values themselves, as a webhook without BambooHR's API takes them.
    const withoutApi = await harness.build({}, { bamboohrApi: undefined });
    expect((await deliver(withoutApi, fieldForm, form)).answer.accepted).toEqual([
      expect.stringMatching(/^42-w\d+-/),
    ]);
    const [event] = (await withoutApi.drain()).map((message) => JSON.parse(message.Body ?? "{}"));
    expect([event.subject, event.type, event.data.accountPlatform]).toEqual([
      "42",
      "user.offboarded",
      { externalId: "E42" },
    ]);
  });

  it("refuses a form body that is not name[part]… pairs with 400", async () => {
    const webhook = await harness.build();
    const body = "employees[0]]=1";
    expect((await deliver(webhook, body, "application/x-www-form-urlencoded")).status).toBe(400);
  });

  it("accepts a timestamp header in ISO 8601, signed as received, within the same limits", async () => {
    const webhook = await harness.build();
    const body = JSON.stringify({
      employees: [
        { id: "43", changedFields: ["Status"], fields: { Status: "Active", "Employee #": "E43" } },
      ],
    });
    const sendAt = async (timestamp: string) =>
      (
        await webhook.invoke({
          path: "/bamboohr",
          headers: bambooHeaders(body, { timestamp }),
          body,
        })
      ).status;
    expect(await sendAt(new Date(NOW_SECONDS * 1000).toISOString())).toBe(202);
    expect(await sendAt("2026-11-23T02:13:20+0000")).toBe(202);
    expect(await sendAt(new Date((NOW_SECONDS + 301) * 1000).toISOString())).toBe(401);
    expect(await sendAt(new Date((NOW_SECONDS - 10_801) * 1000).toISOString())).toBe(401);
    expect(await sendAt("23 Nov 2026 02:13:20 GMT")).toBe(401);
  });
});
