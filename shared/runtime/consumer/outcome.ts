import type { FailureReason, FailureTarget } from "../../contract/dead-letter-attributes.ts";
import type { EventPlan } from "./event-plan.ts";

/**
 * How one SQS record ended in one invocation:
 * - `applied`: every target the event names is in the wanted state (written, or already so).
 * - `scheduled`: its `data.effectiveAt` is ahead; recorded on the person's ledger item for then,
 *   acknowledged without writes (the scheduler puts it back on the queue when due).
 * - `cancelled`: its scheduled change was settled (by a newer event, or an operator) before it
 *   fell due; acknowledged without writes.
 * - `duplicate`: the same (`source`, `id`) was applied before, or this very message was
 *   dead-lettered already (redelivered after a crash); acknowledged without writes.
 * - `stale`: not newer than the newest applied event of the person; acknowledged without writes.
 * - `dead_lettered`: sent to the DLQ with a reason, then acknowledged.
 * - `retried`: tried and failed for now; reported as a batch item failure with a backoff.
 * - `untried`: not started (an earlier record of its group failed, or the invocation was near
 *   its deadline); reported as a batch item failure and released at once.
 */
export const RECORD_OUTCOMES = [
  "applied",
  "scheduled",
  "cancelled",
  "duplicate",
  "stale",
  "dead_lettered",
  "retried",
  "untried",
] as const;
export type RecordOutcomeKind = (typeof RECORD_OUTCOMES)[number];

/** Why a record was reported `retried` or `untried` without a DLQ reason. */
export type RetryCause =
  | "transient"
  | "platform_unavailable"
  | "ledger_unavailable"
  | "claim_held"
  | "dead_letter_send_failed"
  | "after_group_failure"
  | "deadline";

/** One processed record, as logged, counted and handed to `onOutcome`. */
export interface RecordOutcome {
  outcome: RecordOutcomeKind;
  messageId: string;
  /** Absent when the body was not a readable event. */
  eventId?: string | undefined;
  subject?: string | undefined;
  eventType?: string | undefined;
  /** The DLQ reason (`dead_lettered`). */
  reason?: FailureReason | undefined;
  /** Why a record is `retried` or `untried`. */
  cause?: RetryCause | undefined;
  target?: FailureTarget | undefined;
  status?: number | undefined;
  /** Short, no secrets. */
  detail?: string | undefined;
  /** Real attempts at the event so far (ledger count). */
  attempts?: number | undefined;
  /** The visibility timeout the record was given (`retried` / `untried`). */
  visibilityTimeoutSeconds?: number | undefined;
  /** Targets written in this invocation (not those already in the wanted state). */
  written?: FailureTarget[] | undefined;
  dryRun?: boolean | undefined;
  /** A dry-run consumer's plan (its dead letter's reason is `dry_run`). */
  plan?: EventPlan["kind"] | undefined;
  /** `scheduled`: when it takes effect (the event's `data.effectiveAt`). */
  effectiveAt?: string | undefined;
  /** The event's own fields, for its outcome event (absent: the body was not a readable event). */
  event?: EventSummary | undefined;
  /** `dead_lettered`: the letter's SQS message id in the DLQ. */
  dlqMessageId?: string | undefined;
  /** When its outcome was recorded in the ledger (else when its processing ended), epoch ms. */
  at?: number | undefined;
  /**
   * More about a target's write, passed onto its entry in the outcome event: the `osis`
   * target's S3 keys.
   */
  targetFacts?: { osis?: { s3Keys: S3KeysOutcome } } | undefined;
  /**
   * `duplicate`: the outcome this very message reached before (redelivered-outcome.ts),
   * published again: its first publish may never have been made.
   */
  reached?: ReachedOutcome | undefined;
}

/** A decision recorded in the person's history, as the redelivery of its message finds it. */
export interface ReachedOutcome {
  outcome: "applied" | "scheduled" | "cancelled" | "stale" | "dead_lettered";
  /** When it was recorded, epoch ms. */
  at: number;
  /** `applied`: the targets written then. */
  written?: FailureTarget[] | undefined;
  /** `dead_lettered`: the letter's reason and target, and its message id in the DLQ. */
  reason?: FailureReason | undefined;
  target?: FailureTarget | undefined;
  dlqMessageId?: string | undefined;
}

/** The S3 keys an offboard or a rehire changed, found off, or left to the platform (ids only). */
export interface S3KeysOutcome {
  deactivated?: string[];
  reactivated?: string[];
  alreadyInactive?: string[];
  platformManaged?: boolean;
}

/** An event's fields its outcome event repeats, and the platforms it names. */
export interface EventSummary {
  id: string;
  source: string;
  subject: string;
  type: string;
  time: string;
  effectiveAt?: string | undefined;
  targets: FailureTarget[];
}

export type OnOutcome = (outcome: RecordOutcome) => void;

/** Records that end the invocation acknowledged (deleted from the queue). */
export function isAcknowledged(outcome: RecordOutcomeKind): boolean {
  return outcome !== "retried" && outcome !== "untried";
}
