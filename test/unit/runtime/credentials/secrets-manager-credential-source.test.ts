import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { PLACEHOLDER } from "../../../../shared/contract/secrets.ts";
import {
  accountPlatformCredentialsShape,
  bambooHrApiCredentialsShape,
  bambooHrKeysShape,
  osisCredentialsShape,
  signingKeysShape,
} from "../../../../shared/runtime/credentials/secret-shapes.ts";
import { SecretsManagerCredentialSource } from "../../../../shared/runtime/credentials/secrets-manager-credential-source.ts";
import type { SecretShape } from "../../../../shared/runtime/credentials/shape-checks.ts";
import { CredentialsNotConfiguredError } from "../../../../shared/runtime/errors/credentials-not-configured-error.ts";

const SECRET_ID = "hr-sync/account-platform";
const RECOGNIZABLE = "s3cr3t-MUST-NOT-LEAK-4f1a";

const secretsManager = mockClient(SecretsManagerClient);
afterEach(() => secretsManager.reset());
// Unit test files share a worker: the next one gets the real client back.
afterAll(() => secretsManager.restore());

function source(options: { ttlMs?: number; now?: () => number } = {}) {
  return new SecretsManagerCredentialSource({
    client: new SecretsManagerClient({ region: "us-east-1" }),
    secretId: SECRET_ID,
    shape: accountPlatformCredentialsShape,
    ...options,
  });
}

const reads = () => secretsManager.commandCalls(GetSecretValueCommand).length;

function answer(value: unknown) {
  return { SecretString: typeof value === "string" ? value : JSON.stringify(value) };
}

async function refusal(promise: Promise<unknown>): Promise<CredentialsNotConfiguredError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CredentialsNotConfiguredError);
  return error as CredentialsNotConfiguredError;
}

function expectNoSecretIn(error: Error) {
  for (const text of [error.message, String(error), JSON.stringify(error), error.stack ?? ""]) {
    expect(text).not.toContain(RECOGNIZABLE);
  }
  expect(error.cause).toBeUndefined();
}

describe("SecretsManagerCredentialSource", () => {
  it("reads the secret by id, validates it and returns the typed value", async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .resolves(answer({ clientId: "id", clientSecret: "s" }));
    await expect(source().get()).resolves.toEqual({ clientId: "id", clientSecret: "s" });
    expect(secretsManager.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({
      SecretId: SECRET_ID,
    });
  });

  it("caches the value: a second get does not read again", async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .resolves(answer({ clientId: "id", clientSecret: "s" }));
    const credentials = source();
    await credentials.get();
    await credentials.get();
    expect(reads()).toBe(1);
  });

  it("reads again once the TTL has passed", async () => {
    let now = 1_000_000;
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce(answer({ clientId: "id", clientSecret: "old" }))
      .resolves(answer({ clientId: "id", clientSecret: "new" }));
    const credentials = source({ ttlMs: 60_000, now: () => now });
    await expect(credentials.get()).resolves.toMatchObject({ clientSecret: "old" });
    now += 59_999;
    await expect(credentials.get()).resolves.toMatchObject({ clientSecret: "old" });
    now += 1;
    await expect(credentials.get()).resolves.toMatchObject({ clientSecret: "new" });
    expect(reads()).toBe(2);
  });

  it("shares one request among concurrent callers", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    secretsManager.on(GetSecretValueCommand).callsFake(async () => {
      await gate;
      return answer({ clientId: "id", clientSecret: "s" });
    });
    const credentials = source();
    const all = Promise.all(Array.from({ length: 20 }, () => credentials.get()));
    release();
    const values = await all;
    expect(new Set(values.map((v) => v.clientSecret))).toEqual(new Set(["s"]));
    expect(reads()).toBe(1);
  });

  it("refresh forgets the cached value and reads the rotated one", async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce(answer({ clientId: "id", clientSecret: "before-rotation" }))
      .resolves(answer({ clientId: "id", clientSecret: "after-rotation" }));
    const credentials = source();
    await expect(credentials.get()).resolves.toMatchObject({ clientSecret: "before-rotation" });
    await expect(credentials.refresh()).resolves.toMatchObject({ clientSecret: "after-rotation" });
    await expect(credentials.get()).resolves.toMatchObject({ clientSecret: "after-rotation" });
    expect(reads()).toBe(2);
  });

  it("does not cache a failed read: the next get asks again", async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(new Error("throttled"))
      .resolves(answer({ clientId: "id", clientSecret: "s" }));
    const credentials = source();
    await expect(credentials.get()).rejects.toThrow("throttled");
    await expect(credentials.get()).resolves.toMatchObject({ clientSecret: "s" });
    expect(reads()).toBe(2);
  });

  it("refuses a secret still holding the placeholder, naming the field but not the value", async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .resolves(answer({ clientId: RECOGNIZABLE, clientSecret: PLACEHOLDER }));
    const error = await refusal(source().get());
    expect(error.secretId).toBe(SECRET_ID);
    expect(error.message).toContain("clientSecret");
    expect(error.message).toContain("placeholder");
    expectNoSecretIn(error);
  });

  it("refuses a value that is not JSON without echoing it", async () => {
    secretsManager.on(GetSecretValueCommand).resolves(answer(`not json ${RECOGNIZABLE}`));
    const error = await refusal(source().get());
    expect(error.message).toContain("not JSON");
    expectNoSecretIn(error);
  });

  it("refuses JSON of the wrong shape without echoing any value", async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .resolves(answer({ client_id: RECOGNIZABLE, clientSecret: 42, extra: RECOGNIZABLE }));
    const error = await refusal(source().get());
    expect(error.message).toContain("clientId");
    expectNoSecretIn(error);
  });

  it("refuses a secret with no string value (binary)", async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .resolves({ SecretBinary: new TextEncoder().encode(RECOGNIZABLE) });
    const error = await refusal(source().get());
    expectNoSecretIn(error);
  });

  it("accepts either OSIS shape and refuses a half-filled one without echoing it", async () => {
    const osis = (value: unknown) => {
      secretsManager.reset();
      secretsManager.on(GetSecretValueCommand).resolves(answer(value));
      return new SecretsManagerCredentialSource({
        client: new SecretsManagerClient({ region: "us-east-1" }),
        secretId: "hr-sync/osis",
        shape: osisCredentialsShape,
      }).get();
    };
    await expect(osis({ username: "u", password: "p" })).resolves.toEqual({
      username: "u",
      password: "p",
    });
    await expect(osis({ token: "t" })).resolves.toEqual({ token: "t" });
    expectNoSecretIn(await refusal(osis({ username: RECOGNIZABLE, password: PLACEHOLDER })));
    expectNoSecretIn(await refusal(osis({ password: RECOGNIZABLE })));
  });

  it("names the field and the problem of every shape's refusal, never the value", async () => {
    const refusals: [SecretShape<unknown>, unknown, string][] = [
      [osisCredentialsShape, { username: RECOGNIZABLE, password: "" }, "password Too small"],
      [osisCredentialsShape, { token: [RECOGNIZABLE] }, "(root) Invalid input"],
      [signingKeysShape, { keys: [RECOGNIZABLE, PLACEHOLDER] }, "keys.1 still holds"],
      [bambooHrKeysShape, { keys: ["k".repeat(32), RECOGNIZABLE] }, "keys.1 is shorter than 32"],
      [
        bambooHrApiCredentialsShape,
        { apiKey: RECOGNIZABLE, companyDomain: `${RECOGNIZABLE}.example` },
        "companyDomain must be the company's subdomain",
      ],
    ];
    for (const [shape, value, problem] of refusals) {
      secretsManager.reset();
      secretsManager.on(GetSecretValueCommand).resolves(answer(value));
      const error = await refusal(
        new SecretsManagerCredentialSource({
          client: new SecretsManagerClient({ region: "us-east-1" }),
          secretId: SECRET_ID,
          shape,
        }).get(),
      );
      expect(error.message).toContain(`its JSON does not have the expected shape: ${problem}`);
      expectNoSecretIn(error);
    }
  });
});
