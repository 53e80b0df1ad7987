import type { FailureReason, FailureTarget } from "../../contract/dead-letter-attributes.ts";
import { shortDetail } from "../dlq/dead-letter-message.ts";
import { UnmappableEmployeeError } from "../errors/bamboohr-errors.ts";
import { HeldByGuardError } from "../errors/held-by-guard-error.ts";
import { LedgerUnavailableError } from "../errors/ledger-unavailable-error.ts";
import {
  AmbiguousUserError,
  CircuitOpenError,
  NotAppliedError,
  NotFoundError,
  PlatformError,
  RateLimitedError,
  RejectedError,
  UnavailableError,
  UnsupportedError,
  VersionConflictError,
} from "../errors/platform-errors.ts";
import { OutsideTenantError, ProtectedAccountError } from "../errors/refusal-errors.ts";
import { WriteInDoubtError } from "../errors/write-in-doubt-error.ts";

/**
 * What a failed attempt at an event means for it (docs/consumer.md, "Error classes …"):
 * - `permanent`: retrying cannot help; to the DLQ at once with the reason.
 * - `transient`: try again after a backoff; at the attempt limit, `retries_exhausted`.
 * - `waiting`: no call was made, the platform's circuit breaker is open; wait for it without
 *   counting an attempt, up to the outage patience (`platform_unavailable`). Likewise when the
 *   ledger is unavailable (throttled, failing, unreachable): nothing can be decided or recorded
 *   without it, so the record waits for it (`ledger_unavailable`).
 * (Invalid events never get here: they fail validation before any attempt.)
 */
export type Failure =
  | {
      kind: "permanent";
      reason: FailureReason;
      target?: FailureTarget | undefined;
      status?: number | undefined;
      detail: string;
    }
  | {
      kind: "transient";
      target?: FailureTarget | undefined;
      status?: number | undefined;
      detail: string;
      retryAfterMs?: number | undefined;
    }
  | {
      kind: "waiting";
      /** What it waits for, and its DLQ reason once the patience is over. */
      reason: OutageReason;
      /** The platform waited for; none for the ledger, nor for BambooHR's breaker (a signal's read-back). */
      target?: FailureTarget | undefined;
      status?: undefined;
      detail: string;
    };

/** The reasons of a record that waited for longer than the outage patience. */
export type OutageReason = Extract<FailureReason, "platform_unavailable" | "ledger_unavailable">;

/** The error classes and their treatment, as implemented (docs/consumer.md repeats this table). */
const PERMANENT: ReadonlyArray<readonly [new (...args: never[]) => Error, FailureReason]> = [
  [NotFoundError, "not_found"],
  [AmbiguousUserError, "ambiguous_user"],
  [RejectedError, "rejected"],
  [UnsupportedError, "unsupported"],
  [NotAppliedError, "not_applied"],
  // Reaches here only once the bounded re-read and retry gave up.
  [VersionConflictError, "version_conflict"],
  [OutsideTenantError, "outside_tenant"],
  [ProtectedAccountError, "protected"],
  [HeldByGuardError, "held_by_guard"],
  // A BambooHR signal whose current values make no event: redrive it once HR fixed them.
  [UnmappableEmployeeError, "invalid_event"],
];

export function classifyFailure(error: unknown): Failure {
  const target = targetOf(error);
  const status = error instanceof PlatformError ? error.status : undefined;
  const detail = shortDetail(error instanceof Error ? error.message : String(error));
  if (error instanceof CircuitOpenError) {
    // Only the consumer's breakers open: the two target platforms', and BambooHR's.
    return { kind: "waiting", reason: "platform_unavailable", target, detail };
  }
  if (error instanceof LedgerUnavailableError) {
    return { kind: "waiting", reason: "ledger_unavailable", detail };
  }
  for (const [errorClass, reason] of PERMANENT) {
    if (error instanceof errorClass) return { kind: "permanent", reason, target, status, detail };
  }
  const retryAfterMs =
    error instanceof RateLimitedError ||
    error instanceof UnavailableError ||
    error instanceof WriteInDoubtError
      ? error.retryAfterMs
      : undefined;
  // Transient: all the rest, a platform's failures (5xx, 429, timeouts, 401 after re-auth, refused
  // credentials), and anything unforeseen (a secret unreachable, a bug): it is retried
  // and, should it persist, ends in the DLQ as `retries_exhausted` rather than being lost.
  return { kind: "transient", target, status, detail, retryAfterMs };
}

function targetOf(error: unknown): FailureTarget | undefined {
  // BambooHR is read, never written: the consumer's targets are the two platforms.
  if (error instanceof PlatformError) {
    return error.platform === "bamboohr" ? undefined : error.platform;
  }
  if (error instanceof OutsideTenantError || error instanceof ProtectedAccountError) {
    return error.target;
  }
  return undefined;
}
