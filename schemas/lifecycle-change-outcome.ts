/**
 * The detail of an outcome event, as TypeScript: what `lifecycle-change-outcome.schema.json`
 * beside it says, for subscribers to code against (a test checks every event the product
 * publishes in the tests against the schema). docs/outcomes.md has an example of each outcome.
 */

export const OUTCOME_KINDS = [
  "applied",
  "scheduled",
  "cancelled",
  "stale",
  "dead_lettered",
  "dry_run",
  "redriven",
  "discarded",
] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

export type OutcomeTargetName = "account-platform" | "osis";

/**
 * What one outcome did on one platform. Further fields pass through to the event (the schema
 * allows them on a target): a target that learns more about its write adds them here.
 */
export interface OutcomeTarget {
  target: OutcomeTargetName;
  /** changed: written now; already: as wanted, not written; skipped: not written by this outcome; failed. */
  result: "changed" | "already" | "skipped" | "failed";
  status?: number;
  version?: number;
  /** osis, on an applied offboard or rehire: access key ids only, never a secret key. */
  s3Keys?: {
    deactivated?: string[];
    reactivated?: string[];
    alreadyInactive?: string[];
    platformManaged?: boolean;
  };
  [field: string]: unknown;
}

/** The lifecycle event the outcome is about (an unreadable one may lack any field). */
export interface OutcomeEventRef {
  id?: string;
  source?: string;
  subject?: string;
  type?: string;
  time?: string;
  effectiveAt?: string;
}

export interface OutcomeFailure {
  /** The DLQ reason (`not_found`, `version_conflict`, …). */
  reason: string;
  target?: OutcomeTargetName;
  status?: number;
  detail?: string;
}

export interface LifecycleChangeOutcome {
  /** Stable for one outcome: de-duplicate redeliveries by it. */
  outcomeId: string;
  outcome: OutcomeKind;
  /** When the outcome was reached (RFC 3339): EventBridge does not order deliveries, `at` does. */
  at: string;
  attempt?: number;
  /** The DLQ reason of dead_lettered, dry_run, redriven and discarded. */
  reason?: string;
  event: OutcomeEventRef;
  targets: OutcomeTarget[];
  /** dead_lettered (always), dry_run: the letter's reason, platform, status and detail. */
  failure?: OutcomeFailure;
  /** The letter's SQS message id in the DLQ. */
  dlqMessageId?: string;
}
