import type { RetryOptions } from "ky";
import { isHttpError } from "./ky-errors.ts";
import { retryAfterOf } from "./retry-after.ts";

/** Retry settings of a client; `normalizeRetryPolicy` bounds them. */
export interface RetryPolicy {
  /** Retries after the first attempt: of an idempotent read, or of a write refused with 429. */
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
    ...backoff(policy),
    methods: [method],
    statusCodes: [...RETRYABLE_STATUSES],
    retryOnTimeout: true,
    shouldRetry: ({ error }) => {
      if (!isHttpError(error) || !RETRY_AFTER_STATUSES.includes(error.response.status)) {
        return undefined;
      }
      return asksForLongerThanCap(error.response, policy) ? false : undefined;
    },
  };
}

/**
 * ky retry options for a write: only a 429 is asked again, because the platform refused that
 * request before acting on it. Any other failure (a 5xx, a timeout, a reset) may hide an
 * applied change, so it goes to the caller. Bounds and `Retry-After` as for reads.
 */
export function throttledWriteRetry(policy: RetryPolicy, method: "put" | "patch"): RetryOptions {
  return {
    ...backoff(policy),
    methods: [method],
    statusCodes: [429],
    retryOnTimeout: false,
    shouldRetry: ({ error }) => {
      if (!isHttpError(error) || error.response.status !== 429) return false;
      return asksForLongerThanCap(error.response, policy) ? false : undefined;
    },
  };
}

function backoff(policy: RetryPolicy) {
  return {
    limit: policy.retries,
    afterStatusCodes: RETRY_AFTER_STATUSES,
    maxRetryAfter: policy.capMs,
    backoffLimit: policy.capMs,
    delay: (attempt: number) => policy.baseMs * 2 ** (attempt - 1),
    // Half fixed, half random: spreads concurrent callers without ever retrying at once.
    jitter: (delay: number) => delay / 2 + (Math.random() * delay) / 2,
  } satisfies RetryOptions;
}

function asksForLongerThanCap(response: Response, policy: RetryPolicy): boolean {
  const wait = retryAfterOf(response);
  return wait !== undefined && wait > policy.capMs;
}

/** No retry at all: the client's default, each call says what it allows. */
export const NEVER_RETRY: RetryOptions = { limit: 0 };

function clampInteger(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return max;
  return Math.min(max, Math.max(min, Math.round(value)));
}
