import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { Message } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, describe, expect, it, vi } from "vitest";
import { LOCAL_AWS_CREDENTIALS } from "../../../../shared/runtime/aws/aws-clients.ts";
import type { ConsumerEnvironment } from "../../../support/consumer-environment.ts";
import { useConsumerEnvironment } from "../../../support/consumer-suite.ts";
import { offboard } from "../../../support/lifecycle-events.ts";
import { seedPerson } from "../../../support/people.ts";

let environment: ConsumerEnvironment;
/** Everything written anywhere in this file's tests: checked for credentials at the end. */
const written: string[] = [];
const savedEnv = { ...process.env };

const scenario = useConsumerEnvironment({
  started: (started) => {
    environment = started;
  },
  beforeClose: async (closing) => {
    written.push(...closing.logs.lines, ...closing.metrics.lines);
    for (const message of await closing.takeDeadLetters()) {
      written.push(JSON.stringify(message.MessageAttributes ?? {}));
    }
  },
});

afterAll(() => {
  process.env = savedEnv;
});

describe("consumer: credentials", () => {
  it("a revoked token gets one re-authentication, then the event is applied", async () => {
    const s = await scenario();
    const warmUp = seedPerson(environment, "cred-warm");
    await s.send(offboard(warmUp.subject, warmUp.data));
    await s.deliver({ waitSeconds: 0 });
    const tokensBefore = environment.accountPlatform.calls.count("token");
    expect(tokensBefore).toBe(1);

    environment.accountPlatform.revokeTokens();
    const person = seedPerson(environment, "cred-revoked");
    await s.send(offboard(person.subject, person.data));
    await s.deliver({ waitSeconds: 0 });
    expect(person.accountEnabled()).toBe(false);
    expect(environment.accountPlatform.calls.count("token")).toBe(tokensBefore + 1);
    expect(environment.accountPlatform.calls.all().filter((c) => c.status === 401)).toHaveLength(1);
    expect(s.outcomesOf(person.subject).map((o) => o.outcome)).toEqual(["applied"]);
  });

  it("an OSIS error echoing the credentials reaches neither the logs nor the DLQ", async () => {
    const s = await scenario();
    const person = seedPerson(environment, "cred-echo");
    const { username, password } = environment.osisCredentials;
    const basic = Buffer.from(`${username}:${password}`).toString("base64");
    environment.osis.faults.add({
      operation: "setActive",
      status: 400,
      body: JSON.stringify({
        code: "E_BAD_REQUEST",
        message: `refused Authorization: Basic ${basic} (${username}:${password})`,
      }),
    });
    await s.send(offboard(person.subject, person.data));
    await s.deliver({ waitSeconds: 0 });
    expect(s.outcomesOf(person.subject)).toEqual([
      expect.objectContaining({ outcome: "dead_lettered", reason: "rejected", status: 400 }),
    ]);
  });

  it("deployed wiring: rotated secrets are read again once each, then the event is applied", async () => {
    const s = await scenario();
    const person = seedPerson(environment, "cred-rotated");
    const current = environment.accountPlatformCredentials;
    const osis = environment.osisCredentials;
    const secrets = mockClient(SecretsManagerClient);
    secrets
      .on(GetSecretValueCommand, { SecretId: "account-platform-secret" })
      .resolvesOnce({ SecretString: JSON.stringify({ ...current, clientSecret: "rotated-away" }) })
      .resolves({ SecretString: JSON.stringify(current) });
    secrets
      .on(GetSecretValueCommand, { SecretId: "osis-secret" })
      .resolvesOnce({ SecretString: JSON.stringify({ ...osis, password: "rotated-away" }) })
      .resolves({ SecretString: JSON.stringify(osis) });
    Object.assign(process.env, {
      ...s.env,
      ACCOUNT_PLATFORM_SECRET_ID: "account-platform-secret",
      OSIS_SECRET_ID: "osis-secret",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL_SQS: environment.sqsServer.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: environment.dynamoDbServer.endpoint,
      AWS_ACCESS_KEY_ID: LOCAL_AWS_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_AWS_CREDENTIALS.secretAccessKey,
    });
    const stdout: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      stdout.push(String(chunk));
      return true;
    });
    try {
      const { handler } = await import("../../../../functions/consumer/handler.ts");
      await s.send(offboard(person.subject, person.data));
      const messages: Message[] = await s.receive({ waitSeconds: 1 });
      const response = await s.invoke(messages, { handler });
      expect(response.batchItemFailures).toEqual([]);
    } finally {
      spy.mockRestore();
      secrets.restore();
      written.push(...stdout);
    }
    expect(person.accountEnabled()).toBe(false);
    expect(person.osisActive()).toBe(false);
    const reads = (secretId: string) =>
      secrets.commandCalls(GetSecretValueCommand, { SecretId: secretId }).length;
    expect(reads("account-platform-secret")).toBe(2);
    expect(reads("osis-secret")).toBe(2);
    expect(stdout.join("")).toMatch(/"outcome":"applied"/);
  });

  it("nothing written in this file's tests holds a secret or a token", async () => {
    const { clientSecret, clientId } = environment.accountPlatformCredentials;
    const { username, password } = environment.osisCredentials;
    const forbidden = [
      clientSecret,
      password,
      Buffer.from(`${clientId}:${clientSecret}`).toString("base64"),
      Buffer.from(`${username}:${password}`).toString("base64"),
    ];
    expect(written.length).toBeGreaterThan(10);
    const everything = written.join("\n");
    for (const secret of forbidden) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/Bearer\s+\S{8,}/i);
    expect(everything).not.toMatch(/Basic\s+[A-Za-z0-9+/=]{8,}/);
    expect(everything).toMatch(/\[redacted\]/);
  });
});
