/**
 * One error class per thing that can happen when talking to a platform (the ky model).
 * Every class carries the platform and HTTP status where there was one, and never a
 * credential: messages are built from fixed text, the platform's own error code/message,
 * and ids from the request path.
 */

export type PlatformName = "account-platform" | "osis" | "bamboohr";

export interface PlatformErrorOptions {
  platform: PlatformName;
  operation: string;
  status?: number | undefined;
  cause?: unknown;
}

export abstract class PlatformError extends Error {
  readonly platform: PlatformName;
  readonly operation: string;
  readonly status: number | undefined;

  constructor(message: string, options: PlatformErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.platform = options.platform;
    this.operation = options.operation;
    this.status = options.status;
  }
}

/** The user (or the thing looked up) does not exist: 404, or a lookup with no exact match. */
export class NotFoundError extends PlatformError {
  override readonly name = "NotFoundError";
}

/** A lookup found more than one exact match, so no user can be chosen safely. */
export class AmbiguousUserError extends PlatformError {
  override readonly name = "AmbiguousUserError";
  readonly matches: number;
  constructor(message: string, options: PlatformErrorOptions & { matches: number }) {
    super(message, options);
    this.matches = options.matches;
  }
}

/** The write carried a `version` that is no longer current (409, or 426 on the account platform). */
export class VersionConflictError extends PlatformError {
  override readonly name = "VersionConflictError";
}

/** The platform refused the request for good (400/403/415/other 4xx), with its own code and text. */
export class RejectedError extends PlatformError {
  override readonly name = "RejectedError";
  readonly code: string | undefined;
  readonly platformMessage: string | undefined;
  constructor(
    message: string,
    options: PlatformErrorOptions & {
      code?: string | undefined;
      platformMessage?: string | undefined;
    },
  ) {
    super(message, options);
    this.code = options.code;
    this.platformMessage = options.platformMessage;
  }
}

/** The platform answered 401 to a call even after one fresh authentication. */
export class UnauthorizedError extends PlatformError {
  override readonly name = "UnauthorizedError";
}

/**
 * The token endpoint (or Basic auth) refused the client's credentials. During a secret
 * rotation this is expected: the caller re-fetches the secret once before giving up.
 */
export class CredentialsRefusedError extends PlatformError {
  override readonly name = "CredentialsRefusedError";
}

/** 429: the platform asks us to slow down; `retryAfterMs` from `Retry-After` when it said. */
export class RateLimitedError extends PlatformError {
  override readonly name = "RateLimitedError";
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    options: PlatformErrorOptions & { retryAfterMs?: number | undefined },
  ) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** 5xx, a network failure, a connection reset or a timeout: the platform could not answer. */
export class UnavailableError extends PlatformError {
  override readonly name = "UnavailableError";
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    options: PlatformErrorOptions & { retryAfterMs?: number | undefined },
  ) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * No call was made: the platform's circuit breaker is open (it stopped answering, see
 * shared/runtime/breaker/). `retryAt` (epoch ms) is when the breaker lets the next probe through.
 */
export class CircuitOpenError extends PlatformError {
  override readonly name = "CircuitOpenError";
  readonly retryAt: number;
  constructor(message: string, options: PlatformErrorOptions & { retryAt: number }) {
    super(message, options);
    this.retryAt = options.retryAt;
  }
}

/** The platform answered success but its body shows the change did not take effect. */
export class NotAppliedError extends PlatformError {
  override readonly name = "NotAppliedError";
}

/** 501: the platform does not implement the operation. */
export class UnsupportedError extends PlatformError {
  override readonly name = "UnsupportedError";
}
