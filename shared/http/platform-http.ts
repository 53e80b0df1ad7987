import ky, { type KyInstance, type RetryOptions } from "ky";
import { type PlatformName, RejectedError } from "../errors/platform-errors.ts";
import type { Admission, CallGate, ExchangeResult } from "./call-gate.ts";
import type { CallPace } from "./call-pace.ts";
import type { CallStatus, OnPlatformCall } from "./call-record.ts";
import { encodePathSegments, expectedPathname, requestsExactly } from "./request-path.ts";
import { parseRetryAfter } from "./retry-after.ts";
import {
  idempotentRetry,
  NEVER_RETRY,
  type RetryPolicy,
  throttledWriteRetry,
} from "./retry-policy.ts";
import { toPlatformError } from "./to-platform-error.ts";

export type FetchFunction = (
  input: Request | URL | string,
  init?: RequestInit,
) => Promise<Response>;

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
 * what happened (shared/errors/platform-errors.ts), with no credential in it.
 */
export class PlatformHttp {
  readonly #options: PlatformHttpOptions;
  readonly #ky: KyInstance;

  constructor(options: PlatformHttpOptions) {
    this.#options = options;
    this.#ky = ky.create({
      prefix: options.baseUrl,
      timeout: options.timeoutMs,
      throwHttpErrors: true,
      retry: NEVER_RETRY,
    });
  }

  async request(call: PlatformRequest): Promise<PlatformAnswer> {
    const { platform, timeoutMs } = this.#options;
    // Before the clock starts: the wait is the pace's, not the platform's latency.
    await this.#options.pace?.wait(call.signal);
    const started = performance.now();
    const attempt = { count: 0, status: "network" as CallStatus };
    const relative = encodePathSegments(call.path);
    const pathname =
      relative === undefined ? undefined : expectedPathname(this.#options.baseUrl, relative);
    const baseFetch: FetchFunction = this.#options.fetch ?? globalThis.fetch.bind(globalThis);
    const countingFetch: FetchFunction = async (input, init) => {
      // Checked on the URL about to be sent, after every resolution: nothing else is requested.
      if (pathname === undefined || !requestsExactly(input, pathname)) {
        throw new RejectedError(
          `${platform} ${call.operation}: refused to send a request whose path is not the route meant (an id is empty, "." or "..", or not well-formed)`,
          { platform, operation: call.operation, code: "unsafe_path" },
        );
      }
      const admissions = await this.#admit(call);
      if (attempt.count > 0) this.#options.pace?.took();
      const sentAt = performance.now();
      attempt.count += 1;
      attempt.status = "network";
      let result: ExchangeResult = { status: "network" };
      try {
        const response = await baseFetch(input, init);
        attempt.status = response.status;
        result = {
          status: response.status,
          retryAfterMs: parseRetryAfter(response.headers.get("retry-after")),
        };
        return response;
      } catch (error) {
        result = { status: exchangeFailure(error, call.signal) };
        throw error;
      } finally {
        this.#options.pace?.answered(result, sentAt);
        for (const admission of admissions) await admission.done(result);
      }
    };

    const headers: Record<string, string> = { accept: "application/json" };
    if (call.authorization !== undefined) headers.authorization = call.authorization;

    try {
      const text = await this.#ky(relative ?? "", {
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
        fetch: countingFetch,
      }).text();
      this.#report(call.operation, attempt.status, started, attempt.count);
      return {
        status: typeof attempt.status === "number" ? attempt.status : 200,
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
      const status: CallStatus = call.signal?.aborted
        ? "aborted"
        : hasStatus(mapped)
          ? mapped.status
          : isTimeout(error)
            ? "timeout"
            : "network";
      this.#report(call.operation, status, started, attempt.count);
      throw mapped;
    }
  }

  /** A gate that refuses throws (the breaker's `CircuitOpenError`): nothing is sent. */
  async #admit(call: PlatformRequest): Promise<Admission[]> {
    const admissions: Admission[] = [];
    const exchange = { operation: call.operation, signal: call.signal };
    try {
      for (const gate of this.#options.gates ?? []) admissions.push(await gate.admit(exchange));
    } catch (error) {
      for (const admission of admissions) await admission.done({ status: "aborted" });
      throw error;
    }
    return admissions;
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

  #report(operation: string, status: CallStatus, started: number, attempts: number): void {
    const onCall = this.#options.onCall;
    // A call a gate refused never reached the platform: no latency to report.
    if (!onCall || attempts === 0) return;
    try {
      onCall({
        platform: this.#options.platform,
        operation,
        status,
        durationMs: Math.round(performance.now() - started),
        attempts,
      });
    } catch {
      // A metrics hook must never change the outcome of a platform call.
    }
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

function hasStatus(error: unknown): error is { status: number } {
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as { status?: unknown }).status === "number"
  );
}

/** ky times an exchange out by aborting its fetch; the caller's own abort is not a failure. */
function exchangeFailure(error: unknown, signal: AbortSignal | undefined): CallStatus {
  if (signal?.aborted) return "aborted";
  return error instanceof Error && error.name === "AbortError" ? "timeout" : "network";
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === "TimeoutError";
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
