import type { KyInstance, RetryOptions } from "ky";
import type { PlatformName } from "../errors/platform-errors.ts";
import type { CallGate } from "./call-gate.ts";
import { failedCallStatus, reportCall } from "./call-metrics.ts";
import type { CallPace } from "./call-pace.ts";
import type { OnPlatformCall } from "./call-record.ts";
import { type AttemptCount, countAttempts } from "./counted-exchange.ts";
import type { FetchFunction } from "./exchange.ts";
import { throughGates } from "./gated-exchange.ts";
import { kyAtFirstUse } from "./ky-at-first-use.ts";
import { pacedRetries } from "./paced-exchange.ts";
import { checkPath } from "./path-check.ts";
import { encodePathSegments, expectedPathname } from "./request-path.ts";
import {
  idempotentRetry,
  NEVER_RETRY,
  type RetryPolicy,
  throttledWriteRetry,
} from "./retry-policy.ts";
import { toPlatformError } from "./to-platform-error.ts";

export type { FetchFunction } from "./exchange.ts";

export interface PlatformHttpOptions {
  platform: PlatformName;
  /** Absolute URL every request path is resolved under (e.g. "https://dc.example/api/2"). */
  baseUrl: string;
  /** Per attempt, until the answer's headers; reading the body gets the same again. Also a
   * read's whole deadline, its retries included. */
  timeoutMs: number;
  retry: RetryPolicy;
  fetch?: FetchFunction | undefined;
  onCall?: OnPlatformCall | undefined;
  /** Every HTTP exchange passes these, in order (the consumer's circuit breaker). */
  gates?: readonly CallGate[] | undefined;
  /** Every request waits its turn here before its first attempt (the rate limit's pace). */
  pace?: CallPace | undefined;
}

/**
 * - `read`: idempotent, retried (GET).
 * - `token`: a POST that only issues a token, so asking again is as safe as a read.
 * - `write`: asked again only when refused with 429 (see `throttledWriteRetry`).
 */
export type CallKind = "read" | "token" | "write";

export interface PlatformRequest {
  operation: string;
  kind: CallKind;
  method: "GET" | "POST" | "PUT" | "PATCH";
  /** Relative to the base URL, one entry a segment, not encoded (see request-path.ts). */
  path: readonly string[];
  searchParams?: Record<string, string>;
  json?: unknown;
  form?: URLSearchParams;
  /** The Authorization header value. Scrubbed from anything that goes into an error. */
  authorization?: string;
  /** More values never to echo (a client secret, a password), should a platform repeat them. */
  sensitive?: readonly string[];
  conflictStatuses?: readonly number[];
  signal?: AbortSignal | undefined;
}

export interface PlatformAnswer {
  status: number;
  /** The parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
}

/**
 * The one place both platform clients make HTTP calls: ky with a timeout on every attempt,
 * bounded retries (of idempotent calls, and of writes the platform refused with 429), and every failure turned into the typed error of
 * what happened (shared/runtime/errors/platform-errors.ts), with no credential in it.
 */
export class PlatformHttp {
  readonly #options: PlatformHttpOptions;
  readonly #ky: () => Promise<KyInstance>;

  constructor(options: PlatformHttpOptions) {
    this.#options = options;
    this.#ky = kyAtFirstUse({
      prefix: options.baseUrl,
      timeout: options.timeoutMs,
      throwHttpErrors: true,
      retry: NEVER_RETRY,
    });
  }

  async request(call: PlatformRequest): Promise<PlatformAnswer> {
    const { platform, timeoutMs, onCall } = this.#options;
    const named = { platform, operation: call.operation };
    // Before the clock starts: the wait is the pace's, not the platform's latency.
    await this.#options.pace?.wait(call.signal);
    const ky = await this.#ky();
    const started = performance.now();
    const attempts: AttemptCount = { count: 0, last: { status: "network" } };
    const relative = encodePathSegments(call.path);

    const headers: Record<string, string> = { accept: "application/json" };
    if (call.authorization !== undefined) headers.authorization = call.authorization;

    try {
      const text = await ky(relative ?? "", {
        method: call.method,
        headers,
        searchParams: call.searchParams,
        json: call.json,
        body: call.form,
        retry: this.#retryFor(call),
        // A read's retries share its one deadline: a stalled first attempt leaves no time for
        // more, so one read holds its record no longer than one timeout (writes retry only a
        // 429, answered at once).
        totalTimeout: call.kind === "write" ? false : timeoutMs,
        signal: call.signal,
        fetch: this.#exchange(call, relative, attempts),
      }).text();
      const { status } = attempts.last;
      reportCall(onCall, named, status, started, attempts.count);
      return {
        status: typeof status === "number" ? status : 200,
        body: parseBody(text),
      };
    } catch (error) {
      const mapped = toPlatformError(error, {
        platform,
        operation: call.operation,
        timeoutMs,
        conflictStatuses: call.conflictStatuses,
        scrub: scrubber(call),
        signal: call.signal,
      });
      const status = failedCallStatus(mapped, error, call.signal);
      reportCall(onCall, named, status, started, attempts.count);
      throw mapped;
    }
  }

  /** Each exchange of one call: path checked, through the gates, paced, counted, then sent. */
  #exchange(
    call: PlatformRequest,
    relative: string | undefined,
    attempts: AttemptCount,
  ): FetchFunction {
    const { platform, baseUrl, pace, gates = [] } = this.#options;
    const send: FetchFunction = this.#options.fetch ?? globalThis.fetch.bind(globalThis);
    const counted = countAttempts(send, attempts, call.signal);
    const paced = pace ? pacedRetries(counted, pace, attempts) : counted;
    const exchange = { operation: call.operation, signal: call.signal };
    const gated = throughGates(paced, gates, exchange, attempts);
    const pathname = relative === undefined ? undefined : expectedPathname(baseUrl, relative);
    return checkPath(gated, pathname, platform, call.operation);
  }

  #retryFor(call: PlatformRequest): RetryOptions {
    const { retry } = this.#options;
    if (call.kind === "write") {
      return call.method === "PUT" || call.method === "PATCH"
        ? throttledWriteRetry(retry, call.method === "PUT" ? "put" : "patch")
        : NEVER_RETRY;
    }
    return idempotentRetry(retry, call.kind === "read" ? "get" : "post");
  }
}

function parseBody(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Every credential the request carried, in every form it could be echoed back in. */
function scrubber(call: PlatformRequest): (text: string) => string {
  const secrets = new Set<string>();
  if (call.authorization) {
    secrets.add(call.authorization);
    const credential = call.authorization.replace(/^\S+\s+/, "");
    secrets.add(credential);
    if (/^basic\s/i.test(call.authorization)) {
      const decoded = Buffer.from(credential, "base64").toString("utf8");
      secrets.add(decoded);
      // The password is what follows the first colon; the user name is not a secret.
      secrets.add(decoded.slice(decoded.indexOf(":") + 1));
    }
  }
  for (const value of call.sensitive ?? []) secrets.add(value);
  const ordered = [...secrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((out, secret) => out.split(secret).join("[redacted]"), text);
}
