import type { CredentialSource } from "../../credentials/credential-source.ts";
import type { AccountPlatformCredentials } from "../../credentials/secret-shapes.ts";
import {
  CredentialsRefusedError,
  RejectedError,
  UnauthorizedError,
  UnavailableError,
} from "../../errors/platform-errors.ts";
import type { PlatformHttp } from "../../http/platform-http.ts";
import type { Logger } from "../../logging/logger.ts";

/** The vendor's own examples renew this long before `expires_on` (docs/platforms.md, "Tokens"). */
export const RENEW_BEFORE_EXPIRY_MS = 15 * 60_000;

export interface AccessTokenProviderOptions {
  http: PlatformHttp;
  credentials: CredentialSource<AccountPlatformCredentials>;
  now: () => number;
  logger?: Logger | undefined;
}

interface CachedToken {
  accessToken: string;
  renewAt: number;
}

/**
 * Client-credentials tokens from `POST /api/2/idp/token`: cached until shortly before they
 * expire, one request in flight shared by every concurrent caller. When the token endpoint
 * refuses the client (a rotated secret), the secret is read again once before giving up with
 * CredentialsRefusedError, which the consumer treats as transient.
 */
export class AccessTokenProvider {
  readonly #options: AccessTokenProviderOptions;
  #cached: CachedToken | undefined;
  #inFlight: Promise<string> | undefined;
  #lastSecret: string | undefined;

  constructor(options: AccessTokenProviderOptions) {
    this.#options = options;
  }

  /**
   * A token valid for a while yet. The request is shared, so a caller's signal never aborts it
   * (the others still need it, and it has its own timeout); the signal only ends that caller's
   * wait, so a record whose deadline passed is not held by a slow token endpoint.
   */
  async get(signal?: AbortSignal): Promise<string> {
    const cached = this.#cached;
    if (cached && this.#options.now() < cached.renewAt) return cached.accessToken;
    this.#inFlight ??= this.#acquire().finally(() => {
      this.#inFlight = undefined;
    });
    return signal ? untilAborted(this.#inFlight, signal) : this.#inFlight;
  }

  /** The platform answered 401 to this token: forget it, unless a newer one replaced it already. */
  invalidate(accessToken: string): void {
    if (this.#cached?.accessToken === accessToken) this.#cached = undefined;
  }

  /** The client secret last sent, so calls made with its token can keep it out of errors too. */
  get sensitiveValues(): string[] {
    return this.#lastSecret === undefined ? [] : [this.#lastSecret];
  }

  async #acquire(): Promise<string> {
    const { credentials, logger } = this.#options;
    try {
      return await this.#request(await credentials.get());
    } catch (error) {
      if (!isRefusal(error)) throw error;
      logger?.warn("The token endpoint refused the client credentials; reading the secret again", {
        platform: "account-platform",
        status: error.status,
      });
    }
    try {
      return await this.#request(await credentials.refresh());
    } catch (error) {
      if (!isRefusal(error)) throw error;
      throw new CredentialsRefusedError(
        "account-platform token: the token endpoint refused the client credentials, also after reading the secret again",
        { platform: "account-platform", operation: "token", status: error.status },
      );
    }
  }

  async #request(credentials: AccountPlatformCredentials): Promise<string> {
    this.#lastSecret = credentials.clientSecret;
    const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString(
      "base64",
    );
    const answer = await this.#options.http.request({
      operation: "token",
      kind: "token",
      method: "POST",
      path: ["idp", "token"],
      form: new URLSearchParams({ grant_type: "client_credentials" }),
      authorization: `Basic ${basic}`,
      sensitive: [credentials.clientSecret],
    });
    const body = answer.body as { access_token?: unknown; expires_on?: unknown } | undefined;
    const accessToken = body?.access_token;
    if (typeof accessToken !== "string" || accessToken === "") {
      throw new UnavailableError("account-platform token: the answer holds no access_token", {
        platform: "account-platform",
        operation: "token",
        status: answer.status,
      });
    }
    this.#cached = { accessToken, renewAt: this.#renewAt(Number(body?.expires_on)) };
    return accessToken;
  }

  /**
   * 15 minutes before `expires_on` (absolute Unix seconds). A token living less than twice
   * that is renewed half-way through its life instead, so a short-lived token is still reused.
   * Without a usable `expires_on` the token serves the callers waiting for it and no others.
   */
  #renewAt(expiresOnSeconds: number): number {
    const now = this.#options.now();
    if (!Number.isFinite(expiresOnSeconds)) return now;
    const expiresAt = expiresOnSeconds * 1000;
    const margin = Math.min(RENEW_BEFORE_EXPIRY_MS, Math.max(0, expiresAt - now) / 2);
    return expiresAt - margin;
  }
}

function untilAborted(shared: Promise<string>, signal: AbortSignal): Promise<string> {
  const abandoned = () =>
    new UnavailableError("account-platform token: abandoned by the caller before an answer", {
      platform: "account-platform",
      operation: "token",
    });
  if (signal.aborted) return Promise.reject(abandoned());
  return new Promise<string>((resolve, reject) => {
    const onAbort = () => reject(abandoned());
    signal.addEventListener("abort", onAbort, { once: true });
    shared.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** The token endpoint saying "I do not know this client": 400 invalid_client, or 401. */
function isRefusal(error: unknown): error is UnauthorizedError | RejectedError {
  return (
    error instanceof UnauthorizedError ||
    (error instanceof RejectedError && error.status === 400 && error.code === "invalid_client")
  );
}
