import type { CredentialSource } from "../../credentials/credential-source.ts";
import type { BambooHrApiCredentials } from "../../credentials/secret-shapes.ts";
import { CredentialsNotConfiguredError } from "../../errors/credentials-not-configured-error.ts";
import { UnauthorizedError, UnavailableError } from "../../errors/platform-errors.ts";
import type { CallGate } from "../../http/call-gate.ts";
import type { CallPace } from "../../http/call-pace.ts";
import type { OnPlatformCall } from "../../http/call-record.ts";
import {
  type FetchFunction,
  PlatformHttp,
  type PlatformRequest,
} from "../../http/platform-http.ts";
import { normalizeRetryPolicy } from "../../http/retry-policy.ts";
import type { Logger } from "../../logging/logger.ts";

/** An employee as BambooHR's API returns it: values by API alias; unreadable fields left out. */
export type BambooHrEmployeeRecord = Readonly<Record<string, unknown>>;

/** What the webhook and the consumer need of BambooHR: one employee, with the fields it names. */
export interface BambooHrEmployeeReader {
  /**
   * Throws the typed platform errors: `NotFoundError` (404), `RejectedError` (403 and other
   * refusals), `RateLimitedError`, `UnavailableError` (5xx, timeout, network), and
   * `CredentialsNotConfiguredError` while the API secret still holds the placeholder.
   */
  readEmployee(
    employeeId: string,
    fields: readonly string[],
    signal?: AbortSignal,
  ): Promise<BambooHrEmployeeRecord>;
}

export interface BambooHrClientOptions {
  /** `BAMBOOHR_API_URL`; undefined: `https://{companyDomain}.bamboohr.com`. */
  url: string | undefined;
  /** `{apiKey, companyDomain}`; undefined while the secret holds the placeholder. */
  credentials: CredentialSource<BambooHrApiCredentials | undefined>;
  /** Per HTTP attempt. */
  timeoutMs: number;
  /** Retries of a read after the first attempt (bounded to 5). Default 1. */
  retries?: number;
  retryBaseMs?: number;
  /** Longest single wait; a longer `Retry-After` fails the read at once. Default 1000. */
  retryCapMs?: number;
  /** Where the secret is, for the message when it is not filled in. */
  secretName?: string;
  fetch?: FetchFunction;
  onCall?: OnPlatformCall;
  logger?: Logger;
  /** The consumer's circuit breaker for BambooHR: every exchange passes it. */
  gates?: readonly CallGate[] | undefined;
  /** The pace BambooHR's 429s teach (the consumer's reads). */
  pace?: CallPace | undefined;
}

const PLATFORM = "bamboohr";
const OPERATION = "getEmployee";

/**
 * BambooHR's employee API over HTTP: `GET /api/v1/employees/{id}?fields=…`, HTTP Basic with the
 * API key as user name and `x` as password, through the same ky wrapper as the platform
 * clients (timeout per attempt, bounded retries of the read, typed errors, no credential in
 * them). A 401 re-reads the secret once (a rotated key).
 * What the API does: docs/platforms.md, "Reading an employee".
 */
export class BambooHrClient implements BambooHrEmployeeReader {
  readonly #options: BambooHrClientOptions;
  /** One ky instance per base URL (the default URL depends on the secret's company domain). */
  readonly #http = new Map<string, PlatformHttp>();

  constructor(options: BambooHrClientOptions) {
    this.#options = options;
  }

  async readEmployee(
    employeeId: string,
    fields: readonly string[],
    signal?: AbortSignal,
  ): Promise<BambooHrEmployeeRecord> {
    const request = {
      operation: OPERATION,
      kind: "read",
      method: "GET",
      path: ["api", "v1", "employees", employeeId],
      searchParams: { fields: [...new Set(fields)].join(",") },
      signal,
    } as const;
    let answer: Awaited<ReturnType<PlatformHttp["request"]>>;
    try {
      answer = await this.#call(
        request,
        await this.#credentials(() => this.#options.credentials.get()),
      );
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
      this.#options.logger?.warn("BambooHR refused the API key; reading the secret again", {
        platform: PLATFORM,
      });
      const fresh = await this.#credentials(() => this.#options.credentials.refresh());
      answer = await this.#call(request, fresh);
    }
    const body = answer.body;
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new UnavailableError(`${PLATFORM} ${OPERATION}: the answer is not an employee object`, {
        platform: PLATFORM,
        operation: OPERATION,
        status: answer.status,
      });
    }
    return body as BambooHrEmployeeRecord;
  }

  async #credentials(
    read: () => Promise<BambooHrApiCredentials | undefined>,
  ): Promise<BambooHrApiCredentials> {
    const credentials = await read();
    if (credentials === undefined) {
      throw new CredentialsNotConfiguredError(
        this.#options.secretName ?? "BAMBOOHR_API_SECRET_ID",
        "it still holds the placeholder: fill in the BambooHR API key and company domain",
      );
    }
    return credentials;
  }

  #call(
    request: Omit<PlatformRequest, "authorization" | "sensitive">,
    credentials: BambooHrApiCredentials,
  ) {
    const basic = Buffer.from(`${credentials.apiKey}:x`).toString("base64");
    return this.#client(credentials).request({
      ...request,
      authorization: `Basic ${basic}`,
      sensitive: [credentials.apiKey],
    });
  }

  #client(credentials: BambooHrApiCredentials): PlatformHttp {
    const baseUrl = this.#options.url ?? `https://${credentials.companyDomain}.bamboohr.com`;
    let http = this.#http.get(baseUrl);
    if (http === undefined) {
      const options = this.#options;
      http = new PlatformHttp({
        platform: PLATFORM,
        baseUrl,
        timeoutMs: options.timeoutMs,
        retry: normalizeRetryPolicy({
          retries: options.retries ?? 1,
          baseMs: options.retryBaseMs ?? 200,
          capMs: options.retryCapMs ?? 1_000,
        }),
        fetch: options.fetch,
        onCall: options.onCall,
        gates: options.gates,
        pace: options.pace,
      });
      this.#http.set(baseUrl, http);
    }
    return http;
  }
}
