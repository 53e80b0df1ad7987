import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderBanner } from "../../local/banner.ts";
import { sendToWebhook } from "../../local/local-webhook.ts";
import type { LocalStack } from "../../local/running-local-stack.ts";
import { DEMO_OSIS_TENANT_ID, DEMO_PEOPLE } from "../../local/simulators/demo-users.ts";
import { DLQ_ATTRIBUTES } from "../../shared/contract/dead-letter-attributes.ts";
import { localStackFileSchema } from "../../shared/operator/configuration/local-stack-file.ts";
import { signBambooHrWebhook } from "../../shared/runtime/webhook/bamboohr-signature.ts";
import { signStandardWebhook } from "../../shared/runtime/webhook/standard-webhooks.ts";
import {
  attribute,
  enqueue,
  event,
  startTestStack,
  stateOf,
  type TestStack,
  takeDeadLetters,
} from "./local-stack-harness.ts";

const person = (login: string) => {
  const found = DEMO_PEOPLE.find((demo) => demo.login === login);
  if (!found) throw new Error(`no demo person ${login}`);
  return found;
};

let directory: string;
let running: TestStack;
let stack: LocalStack;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "local-stack-"));
  running = await startTestStack({ stackFile: join(directory, ".lifecycle", "local.json") });
  stack = running.stack;
});

afterAll(async () => {
  await stack?.stop();
  await rm(directory, { recursive: true, force: true });
});

describe("the local stack, end to end", () => {
  it("applies events sent through SQS and through the webhook, and dead-letters what it cannot apply", async () => {
    const jdoe = person("jdoe");
    const asmith = person("asmith");
    const mgarcia = person("mgarcia");
    const viaQueue = event("user.offboarded", jdoe.employeeId, {
      accountPlatform: { login: jdoe.login },
      osis: { cdUserId: jdoe.login },
    });
    const unknown = event("user.offboarded", "emp-0404", { accountPlatform: { login: "ghost" } });
    const queueMessageId = await enqueue(stack, viaQueue);
    const unknownMessageId = await enqueue(stack, unknown);
    await sendToWebhook(
      { url: stack.endpoints.webhook, secret: stack.webhookSecret },
      event("user.offboarded", asmith.employeeId, {
        accountPlatform: { userId: asmith.accountUserId },
        osis: { tenantId: DEMO_OSIS_TENANT_ID, userId: asmith.login },
      }),
    );
    await sendToWebhook(
      { url: stack.endpoints.webhook, secret: stack.webhookSecret },
      event("user.onboarded", mgarcia.employeeId, {
        accountPlatform: { externalId: mgarcia.externalId },
        osis: { cdUserId: mgarcia.login },
      }),
    );

    await stack.waitUntilDrained({ timeoutMs: 20_000 });

    expect(stateOf(stack, jdoe)).toEqual({ enabled: false, active: false });
    expect(stateOf(stack, asmith)).toEqual({ enabled: false, active: false });
    expect(stateOf(stack, mgarcia)).toEqual({ enabled: true, active: true });
    // jdoe2 shares jdoe's prefix: the login lookup must not have touched her.
    expect(stateOf(stack, person("jdoe2"))).toEqual({ enabled: true, active: true });
    expect(running.outcomes.find((o) => o.messageId === queueMessageId)?.outcome).toBe("applied");

    const deadLetters = await takeDeadLetters(stack);
    expect(deadLetters).toHaveLength(1);
    const [letter] = deadLetters;
    expect(letter?.Body).toBe(JSON.stringify(unknown));
    expect(letter && attribute(letter, DLQ_ATTRIBUTES.reason)).toBe("not_found");
    expect(letter && attribute(letter, DLQ_ATTRIBUTES.target)).toBe("account-platform");
    expect(letter && attribute(letter, DLQ_ATTRIBUTES.sourceMessageId)).toBe(unknownMessageId);
    expect(letter?.Attributes?.MessageGroupId).toBe("emp-0404");

    const ledger = await stack.ledger.getPerson(jdoe.employeeId);
    expect(ledger?.newestApplied).toMatchObject({ id: viaQueue.id, source: viaQueue.source });
    expect((await stack.queueDepth()).total).toBe(0);
  });

  it("applies an event-based BambooHR delivery by reading the employee from the BambooHR simulator", async () => {
    const bchen = person("bchen");
    const { employeeId } = bchen;
    stack.bamboohr.simulator?.setEmployee(employeeId, { status: "Inactive" });
    const body = JSON.stringify({
      type: "employee.updated",
      timestamp: new Date().toISOString(),
      data: { companyId: "1", employeeId, changedFields: ["status"] },
    });
    const response = await fetch(`${stack.endpoints.webhook}/bamboohr`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...signBambooHrWebhook({ key: stack.webhookSecret, body }),
      },
      body,
    });
    expect(response.status).toBe(202);
    await stack.waitUntilDrained({ timeoutMs: 20_000 });
    // The default mapping names the account platform user by `Employee #` only.
    expect(stateOf(stack, bchen)).toEqual({ enabled: false, active: true });
    expect(stack.bamboohr.simulator?.calls.all().map((call) => call.status)).toEqual([200]);
  });

  it("writes .lifecycle/local.json with mode 0600 and exactly the contract's keys", async () => {
    const path = join(directory, ".lifecycle", "local.json");
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const contents = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
    expect(Object.keys(contents).sort()).toEqual(
      [
        "region",
        "sqsEndpoint",
        "dynamodbEndpoint",
        "queueUrl",
        "dlqUrl",
        "ledgerTable",
        "webhookUrl",
        "webhookSecret",
        "scimUrl",
        "scimToken",
        "accountPlatform",
        "osis",
        "eventBridgeEndpoint",
        "outcomeBusName",
        "outcomesFile",
      ].sort(),
    );
    expect(contents).toMatchObject({ scimUrl: stack.endpoints.scim, scimToken: stack.scimToken });
    expect(Object.keys(contents.accountPlatform as object).sort()).toEqual(
      ["url", "tenantId", "simulated", "clientId", "clientSecret"].sort(),
    );
    expect(Object.keys(contents.osis as object).sort()).toEqual(
      ["url", "basePath", "cdTenantId", "simulated", "username", "password"].sort(),
    );
    const file = localStackFileSchema.parse(contents);
    expect(file).toMatchObject({
      sqsEndpoint: stack.endpoints.sqs,
      dynamodbEndpoint: stack.endpoints.dynamodb,
      queueUrl: stack.queueUrl,
      dlqUrl: stack.dlqUrl,
      ledgerTable: stack.ledgerTable,
      webhookUrl: stack.endpoints.webhook,
      webhookSecret: stack.webhookSecret,
      accountPlatform: { url: stack.endpoints.accountPlatform, simulated: true },
      osis: { url: stack.endpoints.osis, basePath: "/api/v1", simulated: true },
      outcomesFile: join(directory, ".lifecycle", "outcomes.ndjson"),
    });
    for (const endpoint of [file.sqsEndpoint, file.dynamodbEndpoint, file.webhookUrl]) {
      expect(new URL(endpoint).hostname).toBe("127.0.0.1");
    }
  });

  it("serves the webhook only on the API's paths (405 to another method) and only to signed requests", async () => {
    const url = stack.endpoints.webhook;
    const notARoute = await fetch(`${url}/nope`, { method: "POST", body: "{}" });
    expect(notARoute.status).toBe(404);
    expect(await notARoute.json()).toEqual({ message: "Not Found" });
    for (const path of ["/events", "/bamboohr"]) {
      const other = await fetch(`${url}${path}`, { method: "PUT", body: "{}" });
      expect(other.status, path).toBe(405);
      expect(other.headers.get("allow")).toBe("POST");
      expect(other.headers.get("content-type")).toBe("application/problem+json");
      expect(await other.json()).toMatchObject({ status: 405, title: "Method Not Allowed" });
    }

    const body = JSON.stringify(
      event("user.offboarded", "emp-unsigned", { osis: { cdUserId: "x" } }),
    );
    const unsigned = await fetch(`${url}/events`, {
      method: "POST",
      headers: { "content-type": "application/cloudevents+json" },
      body,
    });
    expect(unsigned.status).toBe(401);
    const wrongKey = await fetch(`${url}/events`, {
      method: "POST",
      headers: {
        "content-type": "application/cloudevents+json",
        ...signStandardWebhook({
          secret: `whsec_${Buffer.from(randomUUID()).toString("base64")}`,
          id: randomUUID(),
          timestamp: Math.floor(Date.now() / 1000),
          body,
        }),
      },
      body,
    });
    expect(wrongKey.status).toBe(401);
  });

  it("prints one banner with every endpoint, the webhook secret, the SCIM token and three commands to try", () => {
    const banner = renderBanner(stack, { cliCommand: "npm run lifecycle --" });
    for (const endpoint of Object.values(stack.endpoints)) expect(banner).toContain(endpoint);
    expect(banner).toContain(stack.outcomeBus?.server.endpoint);
    expect(banner).toContain(join(directory, ".lifecycle", "outcomes.ndjson"));
    expect(banner).toContain(stack.webhookSecret);
    expect(banner).toContain(stack.scimToken);
    expect(banner).toContain(
      "npm run lifecycle -- send --type offboarded --subject 1001 --account-login jdoe --osis-cd-user-id jdoe",
    );
    expect(banner).toContain(`curl -s ${stack.endpoints.accountPlatform}/__simulator/users/`);
    expect(banner).toContain("npm run lifecycle -- dlq list");
    // The platform credentials of the run are in local.json only, never on screen.
    const credentials = stack.platforms.accountPlatform.credentials;
    expect(banner).not.toContain(credentials.clientSecret);
  });
});
