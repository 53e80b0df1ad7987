import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { BambooHrSimulator } from "../../../../local/simulators/bamboohr/bamboohr-simulator.ts";
import { createLifecycleQueues } from "../../../../local/stand-ins/lifecycle-queues.ts";
import { type SqsServer, startSqsServer } from "../../../../local/stand-ins/sqs-server.ts";
import { PLACEHOLDER } from "../../../../shared/contract/secrets.ts";
import {
  createSqsClient,
  LOCAL_AWS_CREDENTIALS,
} from "../../../../shared/runtime/aws/aws-clients.ts";
import { lambdaContext } from "../../../support/lambda.ts";
import { apiGatewayEvent, BAMBOO_KEY, bambooHeaders, NEW_KEY, OLD_KEY } from "./webhook-harness.ts";

/**
 * functions/webhook/handler.ts as Lambda loads it: configuration from the environment, keys
 * from Secrets Manager (mocked: there is no local stand-in), the queue a real fauxqs.
 */
const savedEnv = { ...process.env };
const secrets = mockClient(SecretsManagerClient);
let server: SqsServer;
let sqs: SQSClient;
let queueUrl: string;

beforeAll(async () => {
  server = await startSqsServer();
  sqs = createSqsClient({ endpoint: server.endpoint, credentials: LOCAL_AWS_CREDENTIALS });
  const queues = await createLifecycleQueues(sqs, { maxReceiveCount: 10 });
  // Without an explicit endpoint the SDK sends to the queue URL's host; fauxqs names a host
  // that does not resolve, so the deployed client is given the stand-in's own address.
  queueUrl = queues.queueUrl.replace(/^https?:\/\/[^/]+/, server.endpoint);
});

afterEach(() => {
  process.env = { ...savedEnv };
  secrets.reset();
  vi.resetModules();
  vi.restoreAllMocks();
});

afterAll(async () => {
  secrets.restore();
  sqs.destroy();
  await server.stop();
});

function deployedEnvironment(): void {
  Object.assign(process.env, {
    QUEUE_URL: queueUrl,
    WEBHOOK_SECRET_ID: "webhook-secret",
    BAMBOOHR_SECRET_ID: "bamboohr-secret",
    BAMBOOHR_API_SECRET_ID: "bamboohr-api-secret",
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_SQS: server.endpoint,
    AWS_ACCESS_KEY_ID: LOCAL_AWS_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS_CREDENTIALS.secretAccessKey,
  });
}

const API_PLACEHOLDER = { apiKey: PLACEHOLDER, companyDomain: PLACEHOLDER };

function secretValues(values: {
  webhook: unknown;
  bamboohr: unknown;
  bamboohrApi?: unknown;
}): void {
  secrets
    .on(GetSecretValueCommand, { SecretId: "bamboohr-api-secret" })
    .resolves({ SecretString: JSON.stringify(values.bamboohrApi ?? API_PLACEHOLDER) });
  secrets
    .on(GetSecretValueCommand, { SecretId: "webhook-secret" })
    .resolves({ SecretString: JSON.stringify(values.webhook) });
  secrets
    .on(GetSecretValueCommand, { SecretId: "bamboohr-secret" })
    .resolves({ SecretString: JSON.stringify(values.bamboohr) });
}

/** A BambooHR delivery signed for `now`, through API Gateway's event shape. */
function postToBambooHr(
  handler: (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>,
  body: string,
  now: number,
) {
  return handler(
    apiGatewayEvent({ path: "/bamboohr", headers: bambooHeaders(body, { timestamp: now }), body }),
    lambdaContext(),
  );
}

function captureStdout(): string[] {
  const written: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  return written;
}

describe("the deployed webhook handler", () => {
  it("reads its keys at cold start, verifies against them and enqueues to QUEUE_URL", async () => {
    deployedEnvironment();
    secretValues({ webhook: { keys: [NEW_KEY, OLD_KEY] }, bamboohr: { keys: [BAMBOO_KEY] } });
    const stdout = captureStdout();
    const { handler } = await import("../../../../functions/webhook/handler.ts");
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(3);

    const now = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({
      employees: [
        {
          id: "77",
          changedFields: ["Status"],
          fields: { Status: "Inactive", "Employee #": "E77" },
        },
      ],
    });
    const result = await postToBambooHr(handler, body, now);
    expect(result.statusCode).toBe(202);
    // BambooHR's API secret is left as created: the values are taken, unordered.
    const [accepted] = JSON.parse(result.body ?? "{}").accepted;
    expect(accepted).toMatch(/^77-w\d+-[0-9a-f]{32}$/);

    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
    );
    expect(received.Messages?.map((m) => JSON.parse(m.Body ?? "{}").id)).toEqual([accepted]);
    const written = stdout.join("");
    expect(written).toMatch(/"WebhookAccepted":1/);
    for (const key of [NEW_KEY, OLD_KEY, BAMBOO_KEY]) expect(written).not.toContain(key);
  });

  it("fails the cold start naming each missing secret id", async () => {
    deployedEnvironment();
    delete process.env.WEBHOOK_SECRET_ID;
    delete process.env.BAMBOOHR_SECRET_ID;
    delete process.env.BAMBOOHR_API_SECRET_ID;
    await expect(import("../../../../functions/webhook/handler.ts")).rejects.toThrow(
      /WEBHOOK_SECRET_ID is required[\s\S]*BAMBOOHR_SECRET_ID is required[\s\S]*BAMBOOHR_API_SECRET_ID is required/,
    );
  });

  it("fails the cold start on a webhook key that is not whsec_, or a placeholder, naming neither value", async () => {
    deployedEnvironment();
    const coldStart = () =>
      import("../../../../functions/webhook/handler.ts").then(
        () => "started",
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
    const mistyped = "not-a-standard-webhooks-secret";
    secretValues({ webhook: { keys: [NEW_KEY, mistyped] }, bamboohr: { keys: [BAMBOO_KEY] } });
    const mistypedFailure = await coldStart();
    expect(mistypedFailure).toMatch(
      /Secret webhook-secret is not usable: .*keys\.1 must be "whsec_"/,
    );
    expect(mistypedFailure).not.toContain(mistyped);
    expect(mistypedFailure).not.toContain(NEW_KEY);

    vi.resetModules();
    secrets.reset();
    secretValues({ webhook: { keys: [PLACEHOLDER] }, bamboohr: { keys: [BAMBOO_KEY] } });
    expect(await coldStart()).toMatch(/Secret webhook-secret is not usable: .*placeholder/);

    vi.resetModules();
    secrets.reset();
    secretValues({ webhook: { keys: [NEW_KEY] }, bamboohr: { keys: [BAMBOO_KEY, PLACEHOLDER] } });
    expect(await coldStart()).toMatch(/Secret bamboohr-secret is not usable: .*placeholder/);

    vi.resetModules();
    secrets.reset();
    const apiKey = "a-real-bamboohr-api-key-0123456789";
    secretValues({
      webhook: { keys: [NEW_KEY] },
      bamboohr: { keys: [BAMBOO_KEY] },
      bamboohrApi: { apiKey, companyDomain: PLACEHOLDER },
    });
    const halfFilled = await coldStart();
    expect(halfFilled).toMatch(
      /Secret bamboohr-api-secret is not usable: .*companyDomain .*placeholder/,
    );
    expect(halfFilled).not.toContain(apiKey);

    vi.resetModules();
    secrets.reset();
    secretValues({
      webhook: { keys: [NEW_KEY] },
      bamboohr: { keys: [BAMBOO_KEY] },
      bamboohrApi: { apiKey, companyDomain: "acme.evil.example/x" },
    });
    expect(await coldStart()).toMatch(/companyDomain must be the company's subdomain/);
  });

  it("with the API key in its secret, enqueues an event-based delivery as a signal, reading nothing", async () => {
    const simulator = await BambooHrSimulator.start({ apiKeys: ["api-key-from-the-secret"] });
    try {
      simulator.seedEmployee({ id: "79", status: "Inactive", employeeNumber: "E79" });
      deployedEnvironment();
      process.env.BAMBOOHR_API_URL = simulator.url;
      secretValues({
        webhook: { keys: [NEW_KEY] },
        bamboohr: { keys: [BAMBOO_KEY] },
        bamboohrApi: { apiKey: "api-key-from-the-secret", companyDomain: "acme" },
      });
      const stdout = captureStdout();
      const { handler } = await import("../../../../functions/webhook/handler.ts");
      const now = Math.floor(Date.now() / 1000);
      const body = JSON.stringify({
        type: "employee.updated",
        timestamp: new Date(now * 1000).toISOString(),
        data: { companyId: "1", employeeId: "79", changedFields: ["status"] },
      });
      const result = await postToBambooHr(handler, body, now);
      expect(result.statusCode).toBe(202);
      expect(JSON.parse(result.body ?? "{}").accepted).toEqual([`79-employee.updated-${now}`]);
      // The consumer reads the employee back; the webhook only enqueues the signal.
      expect(simulator.calls.all()).toEqual([]);
      expect(stdout.join("")).not.toContain("api-key-from-the-secret");
    } finally {
      await simulator.stop();
    }
  });

  it("starts with BambooHR's secret left as the placeholder, and /bamboohr refuses every request", async () => {
    deployedEnvironment();
    secretValues({ webhook: { keys: [NEW_KEY] }, bamboohr: { keys: [PLACEHOLDER] } });
    const stdout = captureStdout();
    const { handler } = await import("../../../../functions/webhook/handler.ts");
    expect(stdout.join("")).toMatch(/BambooHR's secret still holds the placeholder/);

    const now = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({
      employees: [{ id: "78", changedFields: ["Status"], fields: { Status: "Inactive" } }],
    });
    const bamboo = () => postToBambooHr(handler, body, now);
    expect((await bamboo()).statusCode).toBe(401);
    // The refused request read the secret once more (it may have been filled since); the next
    // one, within the minute, does not: unsigned traffic cannot drive Secrets Manager calls.
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(4);
    expect((await bamboo()).statusCode).toBe(401);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(4);
  });
});
