import { DEFAULT_OSIS_BASE_PATH, osisBaseUrl } from "../../configuration/osis-base-url.ts";
import { DEFAULT_PLATFORM_TIMEOUT_MS } from "../../configuration/platform-timeout.ts";
import type { CredentialSource } from "../../credentials/credential-source.ts";
import type { OsisCredentials } from "../../credentials/secret-shapes.ts";
import {
  NotAppliedError,
  RejectedError,
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
import { isOsisUserActive, type OsisPlatform, type OsisUser } from "./osis.ts";
import type { KeyOwner, OsisCredentialPlatform, OsisKey } from "./osis-credentials.ts";
import { listKeys, type OsisCall, setKeysActive } from "./osis-key-calls.ts";
import { isRecord, type OsisPaging, readEveryPage } from "./osis-pages.ts";

export interface OsisClientOptions {
  /** The OSIS origin (`OSIS_URL`). */
  url: string;
  /** `OSIS_BASE_PATH`: "/api/v1" (default) or "/osis/api/v1" for the older revision. */
  basePath?: string;
  /** `{username, password}` → Basic auth; `{token}` → Bearer. */
  credentials: CredentialSource<OsisCredentials>;
  /** Per HTTP attempt. Default DEFAULT_PLATFORM_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Retries after the first attempt of a read, or of a write refused with 429 (bounded to 5). Default 2. */
  readRetries?: number;
  retryBaseMs?: number;
  /** Longest single wait (bounded to 10 s); a longer `Retry-After` goes to the caller. */
  retryCapMs?: number;
  /** `limit` of each queryUsers and listCredentials page. Default 100. */
  pageSize?: number;
  /** queryUsers and listCredentials read at most this many pages. Default 20. */
  maxPages?: number;
  fetch?: FetchFunction;
  /** Called once per operation, for latency metrics. */
  onCall?: OnPlatformCall;
  /** Every HTTP exchange passes these (the circuit breaker); see shared/runtime/http/call-gate.ts. */
  gates?: readonly CallGate[];
  /** Every request waits its turn here (the pace learned from 429s); see shared/runtime/pace/. */
  pace?: CallPace;
  logger?: Logger;
}

const PLATFORM = "osis";
const FILTER_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * An OSIS endpoint over HTTP. Error bodies are read without assuming they are OsisError; a
 * status change is confirmed by the answer's body, not by its status code alone.
 * What OSIS does: docs/platforms.md, "OSIS".
 */
export class OsisClient implements OsisPlatform, OsisCredentialPlatform {
  readonly #http: PlatformHttp;
  readonly #credentials: CredentialSource<OsisCredentials>;
  readonly #logger: Logger | undefined;
  readonly #paging: OsisPaging;
  readonly #keyCall: OsisCall = (request, secrets) => this.#call(request, secrets);

  constructor(options: OsisClientOptions) {
    this.#http = new PlatformHttp({
      platform: PLATFORM,
      baseUrl: osisBaseUrl(options.url, options.basePath ?? DEFAULT_OSIS_BASE_PATH),
      timeoutMs: options.timeoutMs ?? DEFAULT_PLATFORM_TIMEOUT_MS,
      retry: normalizeRetryPolicy({
        retries: options.readRetries,
        baseMs: options.retryBaseMs,
        capMs: options.retryCapMs,
      }),
      fetch: options.fetch,
      onCall: options.onCall,
      gates: options.gates,
      pace: options.pace,
    });
    this.#credentials = options.credentials;
    this.#logger = options.logger;
    this.#paging = {
      pageSize: Math.max(1, Math.floor(options.pageSize ?? 100)),
      maxPages: Math.max(1, Math.floor(options.maxPages ?? 20)),
    };
  }

  async getUser(tenantId: string, userId: string, signal?: AbortSignal): Promise<OsisUser> {
    const answer = await this.#call({
      operation: "getUser",
      kind: "read",
      method: "GET",
      path: userPath(tenantId, userId),
      signal,
    });
    if (isRecord(answer.body)) return answer.body as OsisUser;
    throw malformed("getUser", answer, "is not a user object");
  }

  async listUsers(
    tenantId: string,
    page: { offset: number; limit: number },
    signal?: AbortSignal,
  ): Promise<{ users: OsisUser[]; total?: number | undefined }> {
    const answer = await this.#call({
      operation: "listUsers",
      kind: "read",
      method: "GET",
      path: ["tenants", tenantId, "users"],
      searchParams: { offset: String(page.offset), limit: String(page.limit) },
      signal,
    });
    const body = isRecord(answer.body) ? answer.body : undefined;
    const items = body?.items;
    if (!Array.isArray(items)) throw malformed("listUsers", answer, "has no items list");
    const total = isRecord(body?.page_info) ? body.page_info.total : undefined;
    return {
      users: items.filter(isRecord) as OsisUser[],
      total: typeof total === "number" ? total : undefined,
    };
  }

  async queryUsers(
    filter: Readonly<Record<string, string>>,
    signal?: AbortSignal,
  ): Promise<OsisUser[]> {
    const filterText = formatFilter(filter);
    const items = await readEveryPage("queryUsers", this.#paging, ({ offset, limit }) =>
      this.#call({
        operation: "queryUsers",
        kind: "read",
        method: "GET",
        path: ["users", "query"],
        searchParams: { offset: String(offset), limit: String(limit), filter: filterText },
        signal,
      }),
    );
    return items as OsisUser[];
  }

  listKeys(tenantId: string, userId: string, signal?: AbortSignal): Promise<OsisKey[]> {
    return listKeys(this.#keyCall, this.#paging, { tenantId, userId }, signal);
  }

  setKeysActive(
    owner: KeyOwner,
    changesFor: (keys: readonly OsisKey[]) => Promise<readonly OsisKey[]>,
    signal?: AbortSignal,
  ): Promise<{ listed: OsisKey[]; written: OsisKey[] }> {
    return setKeysActive(this.#keyCall, this.#paging, owner, changesFor, signal);
  }

  /**
   * PATCH with a complete OsisUser (the spec requires `tenant_id`, `cd_user_id` and
   * `cd_tenant_id` even though only `active` takes effect). 200 and 201 (older revision) are
   * success; the answer must show the requested state, where a missing `active` means active.
   */
  async setActive(
    tenantId: string,
    userId: string,
    active: boolean,
    options: { current?: OsisUser; signal?: AbortSignal } = {},
  ): Promise<OsisUser> {
    const current = options.current ?? (await this.getUser(tenantId, userId, options.signal));
    const sent: OsisUser = {
      ...current,
      tenant_id: current.tenant_id ?? tenantId,
      user_id: current.user_id ?? userId,
      active,
    };
    const answer = await this.#call({
      operation: "setActive",
      kind: "write",
      method: "PATCH",
      path: userPath(tenantId, userId),
      json: sent,
      signal: options.signal,
    });
    const shown: OsisUser = isRecord(answer.body)
      ? (answer.body as OsisUser)
      : { ...sent, active: undefined };
    if (isOsisUserActive(shown) !== active) {
      throw new NotAppliedError(
        `osis setActive: answered ${answer.status} but the user is still ${active ? "inactive" : "active"} (not_applied)`,
        { platform: PLATFORM, operation: "setActive", status: answer.status },
      );
    }
    return isRecord(answer.body) ? shown : sent;
  }

  /** One call with the current credentials; on a 401, the secret read again and one more try. */
  async #call(
    request: Omit<PlatformRequest, "authorization" | "sensitive">,
    secrets: readonly string[] = [],
  ): Promise<PlatformAnswer> {
    const authorized = (credentials: OsisCredentials): PlatformRequest => {
      const { authorization, sensitive } = authorizationOf(credentials);
      return { ...request, authorization, sensitive: [...sensitive, ...secrets] };
    };
    try {
      return await this.#http.request(authorized(await this.#credentials.get()));
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
      this.#logger?.warn("OSIS refused the credentials; reading the secret again", {
        platform: PLATFORM,
        operation: request.operation,
      });
    }
    const fresh = await this.#credentials.refresh();
    try {
      return await this.#http.request(authorized(fresh));
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
      throw new UnauthorizedError(
        `osis ${request.operation}: still unauthorized (HTTP 401) after reading the secret again`,
        { platform: PLATFORM, operation: request.operation, status: 401 },
      );
    }
  }
}

function authorizationOf(credentials: OsisCredentials): {
  authorization: string;
  sensitive: string[];
} {
  if ("token" in credentials) {
    return { authorization: `Bearer ${credentials.token}`, sensitive: [credentials.token] };
  }
  const basic = Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64");
  return { authorization: `Basic ${basic}`, sensitive: [credentials.password] };
}

function userPath(tenantId: string, userId: string): string[] {
  return ["tenants", tenantId, "users", userId];
}

/**
 * `key==value;key==value`. The syntax has no escaping, so a value holding `;` or `,` (FIQL's
 * "and" and "or") or `==` cannot be asked: it would widen the query to other users.
 */
export function formatFilter(filter: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(filter);
  const bad = pairs.filter(([key, value]) => !FILTER_KEY.test(key) || /[;,]|==/.test(value));
  if (pairs.length === 0 || bad.length > 0) {
    throw new RejectedError(
      pairs.length === 0
        ? "osis queryUsers: the filter is empty"
        : `osis queryUsers: the filter cannot express ${bad.map(([key]) => key).join(", ")} (no escaping for ';', ',' or '==')`,
      { platform: PLATFORM, operation: "queryUsers", code: "invalid_filter" },
    );
  }
  return pairs.map(([key, value]) => `${key}==${value}`).join(";");
}

function malformed(operation: string, answer: PlatformAnswer, what: string): UnavailableError {
  return new UnavailableError(`osis ${operation}: the answer ${what}`, {
    platform: PLATFORM,
    operation,
    status: answer.status,
  });
}
