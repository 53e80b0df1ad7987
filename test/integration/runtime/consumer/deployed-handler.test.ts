import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { SQSBatchResponse } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { LOCAL_AWS_CREDENTIALS } from "../../../../shared/runtime/aws/aws-clients.ts";
import {
  type ConsumerEnvironment,
  type Scenario,
  startConsumerEnvironment,
} from "../../../support/consumer-environment.ts";
import {
  type LedgerProxy,
  type LedgerProxyTreatment,
  startLedgerProxy,
} from "../../../support/ledger-proxy.ts";
import { offboard } from "../../../support/lifecycle-events.ts";
import { seedPerson } from "../../../support/people.ts";

/**
 * functions/consumer/handler.ts as Lambda loads it: configuration from the environment, both
 * secrets from Secrets Manager (mocked: there is no local stand-in), the ledger the real
 * dynalite behind a proxy that sees (and may hold or fail) every ledger request.
 */
const savedEnv = { ...process.env };
const secrets = mockClient(SecretsManagerClient);
let environment: ConsumerEnvironment;
let proxy: LedgerProxy | undefined;
let scenario: Scenario | undefined;

beforeAll(async () => {
  environment = await startConsumerEnvironment();
});

afterEach(async () => {
  process.env = { ...savedEnv };
  secrets.reset();
  vi.resetModules();
  proxy?.release();
  await proxy?.stop();
  scenario?.close();
});

afterAll(async () => {
  secrets.restore();
  await environment.stop();
});

const settingsWrite = (body: string) => body.includes("consumerSettings");

type DeployedHandler = Scenario["handler"];

/** Imports the deployed module (its top level is the cold start) on a proxied ledger. */
async function coldStart(
  treat: (body: string) => LedgerProxyTreatment,
): Promise<{ handler: DeployedHandler; proxy: LedgerProxy; scenario: Scenario }> {
  proxy = await startLedgerProxy(environment.dynamoDbServer.endpoint, (request) =>
    treat(request.body),
  );
  scenario = await environment.scenario();
  Object.assign(process.env, {
    ...scenario.env,
    ACCOUNT_PLATFORM_SECRET_ID: "account-platform-secret",
    OSIS_SECRET_ID: "osis-secret",
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint,
    AWS_ENDPOINT_URL_SQS: environment.sqsServer.endpoint,
    AWS_ACCESS_KEY_ID: LOCAL_AWS_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS_CREDENTIALS.secretAccessKey,
    POWERTOOLS_LOG_LEVEL: "ERROR",
    POWERTOOLS_METRICS_DISABLED: "true",
  });
  secrets
    .on(GetSecretValueCommand, { SecretId: "account-platform-secret" })
    .resolves({ SecretString: JSON.stringify(environment.accountPlatformCredentials) });
  secrets
    .on(GetSecretValueCommand, { SecretId: "osis-secret" })
    .resolves({ SecretString: JSON.stringify(environment.osisCredentials) });
  const module = await import("../../../../functions/consumer/handler.ts");
  return { handler: module.handler, proxy, scenario };
}

async function offboardOne(
  s: Scenario,
  handler: DeployedHandler,
  name: string,
): Promise<{ response: SQSBatchResponse; cut: () => boolean }> {
  const person = seedPerson(environment, `${name}-${Date.now()}`);
  await s.send(offboard(person.subject, person.data));
  const messages = await s.receive({ waitSeconds: 2 });
  expect(messages).toHaveLength(1);
  const response = await s.invoke(messages, { handler });
  return {
    response,
    cut: () => person.accountEnabled() === false && person.osisActive() === false,
  };
}

describe("the deployed consumer's cold start", () => {
  it("reads the two secrets and makes no ledger call; the settings go with the first batch", async () => {
    const started = await coldStart(() => "pass");

    expect(started.proxy.requests).toEqual([]);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);

    const { response, cut } = await offboardOne(started.scenario, started.handler, "first");
    expect(response.batchItemFailures).toEqual([]);
    expect(cut()).toBe(true);
    await vi.waitFor(() =>
      expect(started.proxy.requests.filter((r) => settingsWrite(r.body))).toHaveLength(1),
    );
  });

  it("goes on with its batches while the ledger holds the settings write unanswered", async () => {
    const started = await coldStart((body) => (settingsWrite(body) ? "hold" : "pass"));

    const first = await offboardOne(started.scenario, started.handler, "held");
    const second = await offboardOne(started.scenario, started.handler, "held-next");

    // Both batches returned, everyone cut, while the settings write is still unanswered.
    expect(first.response.batchItemFailures).toEqual([]);
    expect(second.response.batchItemFailures).toEqual([]);
    expect(first.cut() && second.cut()).toBe(true);
    const writes = started.proxy.requests.filter((r) => settingsWrite(r.body));
    expect(writes.length).toBeGreaterThan(0);
    expect(started.proxy.held().filter((r) => settingsWrite(r.body))).toHaveLength(writes.length);
  });

  it("fails no batch when the ledger refuses the settings write", async () => {
    const started = await coldStart((body) => (settingsWrite(body) ? "fail" : "pass"));

    const first = await offboardOne(started.scenario, started.handler, "refused");
    await vi.waitFor(() =>
      expect(started.proxy.requests.filter((r) => settingsWrite(r.body)).length).toBeGreaterThan(0),
    );
    const second = await offboardOne(started.scenario, started.handler, "refused-next");

    expect(first.response.batchItemFailures).toEqual([]);
    expect(second.response.batchItemFailures).toEqual([]);
    expect(first.cut() && second.cut()).toBe(true);
  });
});
