/** `POWERTOOLS_METRICS_NAMESPACE` of every function. */
export const METRICS_NAMESPACE = "HrLifecycleSync";

/**
 * The product's metrics (CloudWatch EMF through Powertools): the functions emit them by these
 * names, the dashboard and alarms read them. Every metric carries the dimension `service` plus
 * the ones listed; EMF publishes exactly that dimension set, so a search must name all of them.
 * Documented in README.md#deploy.
 */
export const PRODUCT_METRICS = {
  namespace: METRICS_NAMESPACE,
  /** Count; outcome = applied | scheduled | cancelled | duplicate | stale | dead_lettered | retried. */
  eventOutcome: { name: "EventOutcome", dimensions: ["service", "outcome"] },
  /** Count of events the consumer sent to the DLQ; reason as in the DLQ attributes. */
  deadLettered: { name: "DeadLettered", dimensions: ["service", "reason", "target"] },
  /**
   * Count of a dry-run consumer's plans, each in the DLQ as `dry_run` (never in DeadLettered,
   * so that no dead-letter alarm fires for them); plan = the EventPlan kind.
   */
  dryRunPlanned: { name: "DryRunPlanned", dimensions: ["service", "plan"] },
  /** Milliseconds per platform HTTP call. */
  platformLatency: {
    name: "PlatformLatency",
    dimensions: ["service", "platform", "operation"],
  },
  /**
   * Per platform, 1 while its circuit breaker is open (each consumer invocation reports it;
   * infra alarms when it stays 1 for 5 minutes).
   */
  platformUnavailable: { name: "PlatformUnavailable", dimensions: ["service", "platform"] },
  /**
   * Count of records in a consumer batch that could not go on because the ledger was
   * unavailable (they wait, or went to the DLQ as `ledger_unavailable`); 0 in other batches.
   */
  ledgerUnavailable: { name: "LedgerUnavailable", dimensions: ["service"] },
  /** Count of scheduled changes the scheduler put back on the queue. */
  dueChangesEnqueued: { name: "DueChangesEnqueued", dimensions: ["service"] },
  /**
   * Milliseconds between a change's `effectiveAt` and its enqueueing (or, for one still
   * waiting, the run's end). Published by every run, 0 when nothing was late: the stack alarms
   * on its maximum, and on its absence (a scheduler that stopped running).
   */
  dueChangeLateness: { name: "DueChangeLateness", dimensions: ["service"] },
  webhookAccepted: { name: "WebhookAccepted", dimensions: ["service"] },
  /**
   * status = the HTTP status answered; reason = why (the function's own, such as
   * `no_key_matched` or `invalid_events`, or API Gateway's response type, `THROTTLED`, counted
   * from the access log with service `webhook-api`). WAF's blocks are its own BlockedRequests.
   */
  webhookRejected: { name: "WebhookRejected", dimensions: ["service", "status", "reason"] },
  /** Employees a BambooHR delivery named that became no event (not mapped, not readable). */
  bambooHrIgnored: { name: "BambooHrIgnored", dimensions: ["service"] },
  /** Events taken from BambooHR field values without their own timestamp, without the API. */
  bambooHrUnordered: { name: "BambooHrUnordered", dimensions: ["service"] },
  /** One per trip of the mass-offboarding guard, whichever invocation tripped it. */
  guardTripped: { name: "GuardTripped", dimensions: ["service"] },
  /** People whose platforms differ from the ledger (the stack alarms when above 0). */
  driftedPeople: { name: "DriftedPeople", dimensions: ["service"] },
  /** Platform reads that failed (an outage is not drift, but it hides drift: worth watching). */
  reconcileErrors: { name: "ReconcileErrors", dimensions: ["service"] },
  /** Seconds since the last full reconciliation pass finished; published by every run. */
  reconcilePassAge: { name: "ReconcilePassAge", dimensions: ["service"] },
} as const;
