import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import {
  type SigningKeys,
  signingKeysShape,
} from "../../../../shared/runtime/credentials/secret-shapes.ts";
import { SecretsManagerCredentialSource } from "../../../../shared/runtime/credentials/secrets-manager-credential-source.ts";
import { StaticCredentialSource } from "../../../../shared/runtime/credentials/static-credential-source.ts";
import { SigningKeyring } from "../../../../shared/runtime/webhook/signing-keys.ts";
import { loadWebhookConfig } from "../../../../shared/runtime/webhook/webhook-config.ts";

/** A source whose stored value can change behind a cached copy, like a rotated secret. */
class CachedSource extends StaticCredentialSource<SigningKeys> {
  cached: SigningKeys;
  refreshes = 0;
  constructor(value: SigningKeys) {
    super(value);
    this.cached = value;
  }
  override async get(): Promise<SigningKeys> {
    return this.cached;
  }
  override async refresh(): Promise<SigningKeys> {
    this.refreshes += 1;
    this.cached = await super.get();
    return this.cached;
  }
}

describe("SigningKeyring", () => {
  it("re-reads the keys when none verifies, at most once a minute", async () => {
    let now = 0;
    const source = new CachedSource({ keys: ["old"] });
    const keyring = new SigningKeyring(source, () => now);
    const knows = (key: string) => (keys: readonly string[]) => keys.includes(key);

    source.replace({ keys: ["old", "new"] });
    expect(await keyring.verify(knows("old"))).toBe(true);
    expect(source.refreshes).toBe(0);
    expect(await keyring.verify(knows("new"))).toBe(true);
    expect(source.refreshes).toBe(1);

    source.replace({ keys: ["newer"] });
    now += 59_999;
    expect(await keyring.verify(knows("newer"))).toBe(false);
    expect(await keyring.verify(knows("forged"))).toBe(false);
    expect(source.refreshes).toBe(1);
    now += 1;
    expect(await keyring.verify(knows("newer"))).toBe(true);
    expect(source.refreshes).toBe(2);
  });

  it("passes a failure to read the keys on to the caller", async () => {
    const keyring = new SigningKeyring({
      get: () => Promise.reject(new Error("unreachable")),
      refresh: () => Promise.reject(new Error("unreachable")),
    });
    await expect(keyring.verify(() => true)).rejects.toThrow("unreachable");
  });
});

describe("a signing key removed from its secret", () => {
  it("stops verifying within 60 s with the deployed function's settings", async () => {
    const secretsManager = mockClient(SecretsManagerClient);
    const stored = (keys: string[]) =>
      secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ keys }) });
    let now = 0;
    const config = loadWebhookConfig({ QUEUE_URL: "https://sqs.example/1/q.fifo" });
    const keyring = new SigningKeyring(
      new SecretsManagerCredentialSource({
        client: new SecretsManagerClient({ region: "us-east-1" }),
        secretId: "webhook",
        shape: signingKeysShape,
        ttlMs: config.keysCacheSeconds * 1000,
        now: () => now,
      }),
      () => now,
    );
    const knows = (key: string) => (keys: readonly string[]) => keys.includes(key);

    stored(["old", "new"]);
    expect(await keyring.verify(knows("old"))).toBe(true);
    stored(["new"]);
    now = 59_999;
    expect(await keyring.verify(knows("old"))).toBe(true);
    now = 60_000;
    expect(await keyring.verify(knows("old"))).toBe(false);
    expect(await keyring.verify(knows("new"))).toBe(true);
    secretsManager.restore();
  });

  it("cannot be trusted for longer than 60 s: a longer cache is refused", () => {
    const env = { QUEUE_URL: "https://sqs.example/1/q.fifo", WEBHOOK_KEYS_CACHE_SECONDS: "61" };
    expect(() => loadWebhookConfig(env)).toThrow(/WEBHOOK_KEYS_CACHE_SECONDS/);
  });
});
