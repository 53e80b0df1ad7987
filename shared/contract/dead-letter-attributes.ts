/**
 * Dead-letter contract attribute names (docs/consumer.md, "Dead letters"). Other tools read them:
 * change none of them. Values are SQS String attributes; an empty value is left out.
 */
export const DLQ_ATTRIBUTES = {
  reason: "lifecycle.failure.reason",
  target: "lifecycle.failure.target",
  status: "lifecycle.failure.status",
  detail: "lifecycle.failure.detail",
  attempts: "lifecycle.failure.attempts",
  at: "lifecycle.failure.at",
  sourceMessageId: "lifecycle.source.messageId",
  redriveCount: "lifecycle.redrive.count",
} as const;

/** Why an event was dead-lettered. */
export const FAILURE_REASONS = [
  "invalid_event",
  "not_found",
  "ambiguous_user",
  "rejected",
  "unsupported",
  "not_applied",
  "version_conflict",
  "outside_tenant",
  "protected",
  "retries_exhausted",
  "held_by_guard",
  "platform_unavailable",
  "ledger_unavailable",
  /** Not a failure: a dry-run consumer's plan, to be redriven once dry run is off. */
  "dry_run",
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export const FAILURE_TARGETS = ["account-platform", "osis"] as const;
export type FailureTarget = (typeof FAILURE_TARGETS)[number];

/** Longest `lifecycle.failure.detail` value: short enough to read in a table, never a dump. */
export const MAX_DETAIL_LENGTH = 256;
