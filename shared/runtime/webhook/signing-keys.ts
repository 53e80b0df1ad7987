import type { CredentialSource } from "../credentials/credential-source.ts";
import type { SigningKeys } from "../credentials/secret-shapes.ts";

/** Shortest time between two re-reads of the keys forced by a request no key verified. */
export const FORCED_REFRESH_INTERVAL_MS = 60_000;

/**
 * Signing keys with one extra rule: when no cached key verifies a request, the keys are read
 * again (a key added by a rotation within the cache lifetime), but at most once a minute, so
 * unauthenticated traffic cannot turn into Secrets Manager traffic. A failure to read the keys
 * is thrown: the caller answers 503, since the request may well be authentic.
 */
export class SigningKeyring {
  readonly #source: CredentialSource<SigningKeys>;
  readonly #now: () => number;
  #lastRefresh = Number.NEGATIVE_INFINITY;

  constructor(source: CredentialSource<SigningKeys>, now: () => number = Date.now) {
    this.#source = source;
    this.#now = now;
  }

  async verify(check: (keys: readonly string[]) => boolean): Promise<boolean> {
    return (await this.find((secret) => (check(secret.keys) ? true : undefined))) === true;
  }

  /** What `check` finds in the keys (undefined: no key verified), with the same re-read. */
  async find<T>(check: (secret: SigningKeys) => T | undefined): Promise<T | undefined> {
    const found = check(await this.#source.get());
    if (found !== undefined) return found;
    if (this.#now() - this.#lastRefresh < FORCED_REFRESH_INTERVAL_MS) return undefined;
    this.#lastRefresh = this.#now();
    return check(await this.#source.refresh());
  }
}
