import { isHTTPError, type RetryOptions } from "ky";
import { parseRetryAfter } from "./retry-after.ts";

/** Retry settings of a client; `normalizeRetryPolicy` bounds them. */
export interface RetryPolicy {
  /** Retries of an idempotent read after the first attempt. */
  retries: number;
  /** First backoff; each retry doubles it, with jitter. */
  baseMs: number;
  /** No single wait is longer; a `Retry-After` asking for longer is handed to the caller. */
  capMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 2, baseMs: 300, capMs: 2_000 };

const MAX_RETRIES = 5;
const MAX_CAP_MS = 10_000;

/** Statuses worth asking again: the platform was busy or briefly broken. 501 is not among them. */
export const RETRYABLE_STATUSES = [408, 429, 500, 502, 503, 504] as const;
const RETRY_AFTER_STATUSES = [429, 503];

export function normalizeRetryPolicy(policy: Partial<RetryPolicy>): RetryPolicy {
  const retries = clampInteger(policy.retries ?? DEFAULT_RETRY_POLICY.retries, 0, MAX_RETRIES);
  const capMs = clampInteger(policy.capMs ?? DEFAULT_RETRY_POLICY.capMs, 0, MAX_CAP_MS);
  const baseMs = clampInteger(policy.baseMs ?? DEFAULT_RETRY_POLICY.baseMs, 0, capMs);
  return { retries, baseMs, capMs };
}

/**
 * ky retry options for an idempotent call: bounded attempts, exponential backoff with jitter,
 * `Retry-After` honoured. When the platform asks for a longer wait than the cap, the call gives
 * up at once and the error carries `retryAfterMs`: the consumer waits through the message's
 * visibility timeout rather than inside a Lambda invocation.
 */
export function idempotentRetry(policy: RetryPolicy, method: "get" | "post"): RetryOptions {
  return {
    limit: policy.retries,
    methods: [method],
    statusCodes: [...RETRYABLE_STATUSES],
    afterStatusCodes: RETRY_AFTER_STATUSES,
    maxRetryAfter: policy.capMs,
    backoffLimit: policy.capMs,
    delay: (attempt) => policy.baseMs * 2 ** (attempt - 1),
    // Half fixed, half random: spreads concurrent callers without ever retrying at once.
    jitter: (delay) => delay / 2 + (Math.random() * delay) / 2,
    retryOnTimeout: true,
    shouldRetry: ({ error }) => {
      if (!isHTTPError(error) || !RETRY_AFTER_STATUSES.includes(error.response.status)) {
        return undefined;
      }
      const wait = parseRetryAfter(error.response.headers.get("retry-after"));
      return wait !== undefined && wait > policy.capMs ? false : undefined;
    },
  };
}

/** Writes are never retried by the HTTP layer: a lost answer may hide an applied change. */
export const NEVER_RETRY: RetryOptions = { limit: 0 };

function clampInteger(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return max;
  return Math.min(max, Math.max(min, Math.round(value)));
}
