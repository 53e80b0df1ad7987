import type { CallStatus } from "./call-record.ts";

/** How one HTTP exchange with a platform ended, as the gates see it. */
export interface ExchangeResult {
  status: CallStatus;
  /** From a `Retry-After` header, when the answer had one. */
  retryAfterMs?: number | undefined;
}

/** Let through by a gate; told how the exchange ended. */
export interface Admission {
  done(result: ExchangeResult): Promise<void> | void;
}

/**
 * Something every HTTP exchange with one platform passes (each retry of a read included), such
 * as the consumer's circuit breaker (shared/runtime/breaker/). `admit` may wait, or throw a typed error
 * that stops the call before anything is sent.
 */
export interface CallGate {
  admit(exchange: { operation: string; signal?: AbortSignal | undefined }): Promise<Admission>;
}
