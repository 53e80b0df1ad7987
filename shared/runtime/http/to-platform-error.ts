import {
  NotFoundError,
  type PlatformName,
  RateLimitedError,
  RejectedError,
  UnauthorizedError,
  UnavailableError,
  UnsupportedError,
  VersionConflictError,
} from "../errors/platform-errors.ts";
import { shortText, summarizeErrorBody } from "./error-body.ts";
import { isHttpError, isKyNetworkError, isKyTimeoutError } from "./ky-errors.ts";
import { retryAfterOf } from "./retry-after.ts";

export interface ErrorContext {
  platform: PlatformName;
  operation: string;
  timeoutMs: number;
  /** Statuses that mean "your version is stale" for this call (409 and 426 on a PUT). */
  conflictStatuses?: readonly number[] | undefined;
  /** Removes any credential the request carried from text that goes into the error. */
  scrub: (text: string) => string;
  /** The caller's own signal: its abort is not the platform's fault, but still transient. */
  signal?: AbortSignal | undefined;
}

/**
 * A ky error (or a network failure) as the typed error of what happened. The ky error is never
 * attached as `cause`: it holds the request, Authorization header included. Unknown errors
 * (programming mistakes) are returned unchanged.
 */
export function toPlatformError(error: unknown, context: ErrorContext): unknown {
  const where = { platform: context.platform, operation: context.operation };
  const say = (what: string) => `${context.platform} ${context.operation}: ${what}`;

  if (isHttpError(error)) {
    const status = error.response.status;
    const retryAfterMs = retryAfterOf(error.response);
    const said = summarizeErrorBody(error.data);
    const code = said.code === undefined ? undefined : context.scrub(said.code);
    const platformMessage = said.message === undefined ? undefined : context.scrub(said.message);
    const detail = `HTTP ${status}${code ? `, code ${code}` : ""}${platformMessage ? `: ${platformMessage}` : ""}`;
    const options = { ...where, status };

    if (status === 404) return new NotFoundError(say(`not found (${detail})`), options);
    if (context.conflictStatuses?.includes(status)) {
      return new VersionConflictError(say(`version conflict (${detail})`), options);
    }
    if (status === 401) return new UnauthorizedError(say(`unauthorized (${detail})`), options);
    if (status === 429) {
      return new RateLimitedError(say(`rate limited (${detail})`), { ...options, retryAfterMs });
    }
    if (status === 501) return new UnsupportedError(say(`not implemented (${detail})`), options);
    if (status === 408 || status >= 500) {
      return new UnavailableError(say(`unavailable (${detail})`), { ...options, retryAfterMs });
    }
    return new RejectedError(say(`rejected (${detail})`), { ...options, code, platformMessage });
  }
  if (context.signal?.aborted) {
    return new UnavailableError(say("abandoned by the caller before an answer"), where);
  }
  if (isKyTimeoutError(error)) {
    return new UnavailableError(say(`no answer within ${context.timeoutMs} ms`), where);
  }
  if (isKyNetworkError(error)) {
    return new UnavailableError(say(`connection failed (${networkReason(error, context)})`), where);
  }
  return error;
}

/** The low-level reason ("other side closed", "connect ECONNREFUSED ..."): no request data. */
function networkReason(error: Error, context: ErrorContext): string {
  const reasons: string[] = [];
  let current: unknown = error.cause;
  while (current instanceof Error && reasons.length < 3) {
    const code = (current as Error & { code?: unknown }).code;
    reasons.push(typeof code === "string" ? `${code}: ${current.message}` : current.message);
    current = current.cause;
  }
  return reasons.length === 0 ? "no answer" : context.scrub(shortText(reasons.join(" / "), 200));
}
