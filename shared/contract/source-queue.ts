/**
 * What the consumer must know of its source queue (infra/constructs/event-queues.ts builds it
 * from these): a record waiting out a platform outage must reach the DLQ with a reason before
 * SQS deletes it (retention) or moves it there without one (receive count).
 */
export const SOURCE_QUEUE = {
  /** 14 days, SQS's longest; the DLQ keeps messages as long. */
  retentionSeconds: 14 * 24 * 3600,
  /**
   * SQS's largest. Attempts are counted in the ledger, so this is a backstop for crashes, but
   * every time a record waiting for a platform comes back is a receive, which is why it is high.
   */
  maxReceiveCount: 1_000,
  /** Receives kept for everything but waiting for a platform (attempts, claims, crashes). */
  receivesForOtherCauses: 100,
  /**
   * The largest message, in bytes: SQS's 1 MiB (the DLQ's) less 16 KiB, so that any body it
   * accepts still fits in the DLQ with a dead letter's attributes (at most eight of at most
   * 1 KiB each, shared/runtime/dlq/attribute-value.ts).
   */
  maxMessageBytes: 1_048_576 - 16_384,
} as const;
