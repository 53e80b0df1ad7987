import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { CredentialsNotConfiguredError } from "../errors/credentials-not-configured-error.ts";
import type { CredentialSource } from "./credential-source.ts";
import type { SecretShape } from "./shape-checks.ts";

export interface SecretsManagerCredentialSourceOptions<T> {
  client: SecretsManagerClient;
  secretId: string;
  shape: SecretShape<T>;
  /** How long a read value is trusted before the next `get` reads again. */
  ttlMs?: number;
  now?: () => number;
}

/**
 * Reads a JSON secret from Secrets Manager, validates its shape, and caches it. Concurrent
 * callers share one request in flight. Neither the value nor the raw string ever reaches an
 * error message.
 */
export class SecretsManagerCredentialSource<T> implements CredentialSource<T> {
  readonly #options: Required<SecretsManagerCredentialSourceOptions<T>>;
  #cached: { value: T; readAt: number } | undefined;
  #inFlight: Promise<T> | undefined;

  constructor(options: SecretsManagerCredentialSourceOptions<T>) {
    this.#options = { ttlMs: 5 * 60_000, now: Date.now, ...options };
  }

  async get(): Promise<T> {
    const cached = this.#cached;
    if (cached && this.#options.now() - cached.readAt < this.#options.ttlMs) return cached.value;
    return this.#read();
  }

  async refresh(): Promise<T> {
    this.#cached = undefined;
    return this.#read();
  }

  #read(): Promise<T> {
    this.#inFlight ??= this.#fetch().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #fetch(): Promise<T> {
    const { client, secretId, shape } = this.#options;
    const output = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (output.SecretString === undefined) {
      throw new CredentialsNotConfiguredError(secretId, "it has no string value");
    }
    let json: unknown;
    try {
      json = JSON.parse(output.SecretString);
    } catch {
      throw new CredentialsNotConfiguredError(
        secretId,
        "its value is not JSON (was it created without the stack's template?)",
      );
    }
    const checked = shape(json);
    if (!checked.ok) {
      // Only paths and messages, which never quote the secret's values.
      const where = checked.problems
        .map((problem) => `${problem.path.join(".") || "(root)"} ${problem.message}`)
        .join("; ");
      throw new CredentialsNotConfiguredError(
        secretId,
        `its JSON does not have the expected shape: ${where}`,
      );
    }
    this.#cached = { value: checked.value, readAt: this.#options.now() };
    return checked.value;
  }
}
