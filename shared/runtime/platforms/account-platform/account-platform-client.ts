import { normalizeDatacenterUrl } from "../../configuration/datacenter-url.ts";
import { DEFAULT_PLATFORM_TIMEOUT_MS } from "../../configuration/platform-timeout.ts";
import type { CredentialSource } from "../../credentials/credential-source.ts";
import type { AccountPlatformCredentials } from "../../credentials/secret-shapes.ts";
import {
  AmbiguousUserError,
  NotAppliedError,
  NotFoundError,
  UnauthorizedError,
  UnavailableError,
} from "../../errors/platform-errors.ts";
import type { CallGate } from "../../http/call-gate.ts";
import type { CallPace } from "../../http/call-pace.ts";
import type { OnPlatformCall } from "../../http/call-record.ts";
import {
  type FetchFunction,
  type PlatformAnswer,
  PlatformHttp,
  type PlatformRequest,
} from "../../http/platform-http.ts";
import { normalizeRetryPolicy } from "../../http/retry-policy.ts";
import type { Logger } from "../../logging/logger.ts";
import { AccessTokenProvider } from "./access-token-provider.ts";
import type {
  AccountPlatform,
  AccountPlatformDirectory,
  AccountPlatformUser,
} from "./account-platform.ts";

export interface AccountPlatformClientOptions {
  /** The datacenter URL (`ACCOUNT_PLATFORM_URL`); a trailing `/api/2` is stripped. */
  url: string;
  credentials: CredentialSource<AccountPlatformCredentials>;
  /** Per HTTP attempt. Default DEFAULT_PLATFORM_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Retries after the first attempt of a read, or of a write refused with 429 (bounded to 5). Default 2. */
  readRetries?: number;
  /** First backoff between read attempts. Default 300. */
  retryBaseMs?: number;
  /** Longest single wait (bounded to 10 s); a longer `Retry-After` goes to the caller. Default 2000. */
  retryCapMs?: number;
  /** First `limit` of a login search. Default 50. */
  searchLimit?: number;
  /** A full page without an exact match asks again with a larger limit, up to this. Default 500. */
  searchLimitMax?: number;
  fetch?: FetchFunction;
  /** Called once per operation, for latency metrics. */
  onCall?: OnPlatformCall;
  /** Every HTTP exchange passes these (the circuit breaker); see shared/runtime/http/call-gate.ts. */
  gates?: readonly CallGate[];
  /** Every request waits its turn here (the pace learned from 429s); see shared/runtime/pace/. */
  pace?: CallPace;
  logger?: Logger;
  /** Clock (ms) for token expiry. */
  now?: () => number;
}

const PLATFORM = "account-platform";
// Which status a stale `version` gets is undocumented (docs/platforms.md, "Version conflicts").
const VERSION_CONFLICT_STATUSES = [409, 426] as const;
const SEARCH_GROWTH = 4;

/**
 * The account platform over HTTP (`{dc}/api/2`): bearer tokens from the client-credentials
 * flow, reads retried, the PUT asked again only when refused with 429, every failure a typed
 * error.
 * What the platform does: docs/platforms.md, "Account platform".
 */
export class AccountPlatformClient implements AccountPlatform, AccountPlatformDirectory {
  readonly #http: PlatformHttp;
  readonly #tokens: AccessTokenProvider;
  readonly #searchLimit: number;
  readonly #searchLimitMax: number;

  constructor(options: AccountPlatformClientOptions) {
    const retry = normalizeRetryPolicy({
      retries: options.readRetries,
      baseMs: options.retryBaseMs,
      capMs: options.retryCapMs,
    });
    this.#http = new PlatformHttp({
      platform: PLATFORM,
      baseUrl: `${normalizeDatacenterUrl(options.url)}/api/2/`,
      timeoutMs: options.timeoutMs ?? DEFAULT_PLATFORM_TIMEOUT_MS,
      retry,
      fetch: options.fetch,
      onCall: options.onCall,
      gates: options.gates,
      pace: options.pace,
    });
    this.#tokens = new AccessTokenProvider({
      http: this.#http,
      credentials: options.credentials,
      now: options.now ?? Date.now,
      logger: options.logger,
    });
    this.#searchLimit = Math.max(1, Math.floor(options.searchLimit ?? 50));
    this.#searchLimitMax = Math.max(this.#searchLimit, Math.floor(options.searchLimitMax ?? 500));
  }

  async getUser(userId: string, signal?: AbortSignal): Promise<AccountPlatformUser> {
    const answer = await this.#call({
      operation: "getUser",
      kind: "read",
      method: "GET",
      path: ["users", userId],
      signal,
    });
    return asUser(answer, "getUser");
  }

  async setEnabled(
    userId: string,
    enabled: boolean,
    version: number,
    signal?: AbortSignal,
  ): Promise<AccountPlatformUser> {
    const answer = await this.#call({
      operation: "setEnabled",
      kind: "write",
      method: "PUT",
      path: ["users", userId],
      json: { enabled, version },
      conflictStatuses: VERSION_CONFLICT_STATUSES,
      signal,
    });
    const user = asUser(answer, "setEnabled");
    if (user.enabled !== enabled) {
      throw new NotAppliedError(
        `account-platform setEnabled: answered ${answer.status} but the user is still ${user.enabled ? "enabled" : "disabled"}`,
        { platform: PLATFORM, operation: "setEnabled", status: answer.status },
      );
    }
    return user;
  }

  async findByExternalId(
    externalId: string,
    tenantId: string,
    signal?: AbortSignal,
  ): Promise<AccountPlatformUser> {
    const answer = await this.#call({
      operation: "findByExternalId",
      kind: "read",
      method: "GET",
      path: ["users"],
      searchParams: { external_ids: externalId, tenant_id: tenantId },
      signal,
    });
    // `external_ids` is a comma-separated list: keep only the exact id asked for.
    const matches = itemsOf(answer, "findByExternalId")
      .filter(isUserLike)
      .filter((user) => user.external_id === undefined || user.external_id === externalId);
    const [only, ...others] = matches;
    if (only === undefined) {
      // No status: the lookup itself succeeded, so an HTTP 200 in the DLQ would mislead.
      throw new NotFoundError("account-platform findByExternalId: no user has that external id", {
        platform: PLATFORM,
        operation: "findByExternalId",
      });
    }
    if (others.length > 0) {
      throw new AmbiguousUserError(
        `account-platform findByExternalId: ${matches.length} users have that external id`,
        { platform: PLATFORM, operation: "findByExternalId", matches: matches.length },
      );
    }
    return only;
  }

  /**
   * The search matches by lower-case prefix over logins, names and e-mail, so only users whose
   * login equals the wanted one (case-insensitively) count. A full page without an exact match
   * may hide it past the limit: ask again with a larger one, up to `searchLimitMax`.
   */
  async findByLogin(login: string, tenantId: string, signal?: AbortSignal): Promise<string> {
    const wanted = login.toLowerCase();
    let limit = this.#searchLimit;
    for (;;) {
      const answer = await this.#call({
        operation: "findByLogin",
        kind: "read",
        method: "GET",
        path: ["search"],
        searchParams: { tenant: tenantId, text: login, limit: String(limit) },
        signal,
      });
      const items = itemsOf(answer, "findByLogin");
      const exact = items.filter(
        (item): item is { id: string; login: string; obj_type: "user" } =>
          isRecord(item) &&
          item.obj_type === "user" &&
          typeof item.id === "string" &&
          typeof item.login === "string" &&
          item.login.toLowerCase() === wanted,
      );
      if (exact.length > 1) {
        throw new AmbiguousUserError(
          `account-platform findByLogin: ${exact.length} users have that login`,
          { platform: PLATFORM, operation: "findByLogin", matches: exact.length },
        );
      }
      if (exact[0] !== undefined) return exact[0].id;
      const fullPage = items.length >= limit;
      if (!fullPage || limit >= this.#searchLimitMax) {
        throw new NotFoundError(
          fullPage
            ? `account-platform findByLogin: no exact match among the first ${limit} prefix matches`
            : "account-platform findByLogin: no user has that login",
          { platform: PLATFORM, operation: "findByLogin" },
        );
      }
      limit = Math.min(limit * SEARCH_GROWTH, this.#searchLimitMax);
    }
  }

  async listTenantUserIds(tenantId: string, signal?: AbortSignal): Promise<string[]> {
    const answer = await this.#call({
      operation: "listTenantUsers",
      kind: "read",
      method: "GET",
      path: ["tenants", tenantId, "users"],
      signal,
    });
    const items = itemsOf(answer, "listTenantUsers");
    if (items.every((item): item is string => typeof item === "string")) return items;
    throw new UnavailableError("account-platform listTenantUsers: an item is not a user id", {
      platform: PLATFORM,
      operation: "listTenantUsers",
      status: answer.status,
    });
  }

  /** One call with a bearer token; on a 401, one fresh token and one more try. */
  async #call(
    request: Omit<PlatformRequest, "authorization" | "sensitive">,
  ): Promise<PlatformAnswer> {
    const token = await this.#tokens.get(request.signal);
    try {
      return await this.#http.request({
        ...request,
        authorization: `Bearer ${token}`,
        sensitive: this.#tokens.sensitiveValues,
      });
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
      this.#tokens.invalidate(token);
    }
    const fresh = await this.#tokens.get(request.signal);
    try {
      return await this.#http.request({
        ...request,
        authorization: `Bearer ${fresh}`,
        sensitive: this.#tokens.sensitiveValues,
      });
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
      throw new UnauthorizedError(
        `account-platform ${request.operation}: still unauthorized (HTTP 401) with a fresh token`,
        { platform: PLATFORM, operation: request.operation, status: 401 },
      );
    }
  }
}

function asUser(answer: PlatformAnswer, operation: string): AccountPlatformUser {
  if (isUserLike(answer.body)) return answer.body;
  throw new UnavailableError(`account-platform ${operation}: the answer is not a user object`, {
    platform: PLATFORM,
    operation,
    status: answer.status,
  });
}

function itemsOf(answer: PlatformAnswer, operation: string): unknown[] {
  const items = isRecord(answer.body) ? answer.body.items : undefined;
  if (Array.isArray(items)) return items;
  throw new UnavailableError(`account-platform ${operation}: the answer has no items list`, {
    platform: PLATFORM,
    operation,
    status: answer.status,
  });
}

function isUserLike(value: unknown): value is AccountPlatformUser {
  return (
    isRecord(value) &&
    typeof value.id === "string" &&
    typeof value.version === "number" &&
    typeof value.enabled === "boolean"
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
