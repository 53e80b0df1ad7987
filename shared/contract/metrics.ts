/** `POWERTOOLS_METRICS_NAMESPACE` of every function. */
export const METRICS_NAMESPACE = "HrLifecycleSync";

// Each name is a constant of its own, so a function's bundle keeps only the names it emits.
/** Count; outcome = applied | scheduled | cancelled | duplicate | stale | dead_lettered | retried. */
export const EVENT_OUTCOME_METRIC = "EventOutcome";
/** Count of events the consumer sent to the DLQ; reason as in the DLQ attributes. */
export const DEAD_LETTERED_METRIC = "DeadLettered";
/**
 * Count of a dry-run consumer's plans, each in the DLQ as `dry_run` (never in DeadLettered,
 * so that no dead-letter alarm fires for them); plan = the EventPlan kind.
 */
export const DRY_RUN_PLANNED_METRIC = "DryRunPlanned";
/** Milliseconds per platform HTTP call. */
export const PLATFORM_LATENCY_METRIC = "PlatformLatency";
/**
 * Per platform, 1 while its circuit breaker is open (each consumer invocation reports it;
 * infra alarms when it stays 1 for 5 minutes).
 */
export const PLATFORM_UNAVAILABLE_METRIC = "PlatformUnavailable";
/** Count of scheduled changes the scheduler put back on the queue. */
export const DUE_CHANGES_ENQUEUED_METRIC = "DueChangesEnqueued";
/**
 * Milliseconds between a change's `effectiveAt` and its enqueueing (or, for one still waiting,
 * the run's end). Published by every run, 0 when nothing was late: the stack alarms on its
 * maximum, and on its absence (a scheduler that stopped running).
 */
export const DUE_CHANGE_LATENESS_METRIC = "DueChangeLateness";
export const WEBHOOK_ACCEPTED_METRIC = "WebhookAccepted";
/**
 * status = the HTTP status answered; reason = why (the function's own, such as
 * `no_key_matched` or `invalid_events`, or API Gateway's response type, `THROTTLED`, counted
 * from the access log with service `webhook-api`). WAF's blocks are its own BlockedRequests.
 */
export const WEBHOOK_REJECTED_METRIC = "WebhookRejected";
/** One per trip of the mass-offboarding guard, whichever invocation tripped it. */
export const GUARD_TRIPPED_METRIC = "GuardTripped";
/**
 * Count of records in a consumer batch that could not go on because the ledger was
 * unavailable (they wait, or went to the DLQ as `ledger_unavailable`); 0 in other batches.
 */
export const LEDGER_UNAVAILABLE_METRIC = "LedgerUnavailable";
/** Employees a BambooHR delivery named that became no event (not mapped, not readable). */
export const BAMBOOHR_IGNORED_METRIC = "BambooHrIgnored";
/** Events taken from BambooHR field values without their own timestamp, without the API. */
export const BAMBOOHR_UNORDERED_METRIC = "BambooHrUnordered";
/** Seconds since the last full reconciliation pass finished; published by every run. */
export const RECONCILE_PASS_AGE_METRIC = "ReconcilePassAge";
/** People whose platforms differ from the ledger (the stack alarms when above 0). */
export const DRIFTED_PEOPLE_METRIC = "DriftedPeople";
/** Platform reads that failed (an outage is not drift, but it hides drift: worth watching). */
export const RECONCILE_ERRORS_METRIC = "ReconcileErrors";
/**
 * Outcome events EventBridge did not take after the publisher's bounded retries (kept in the
 * ledger's outbox for the scheduler's next run); 0 in runs where every outcome was published.
 */
export const OUTCOME_PUBLISH_FAILED_METRIC = "OutcomePublishFailed";

/**
 * The product's metrics as the dashboard and alarms read them. Every metric carries the
 * dimension `service` plus the ones listed; EMF publishes exactly that dimension set, so a
 * search must name all of them. Documented in README.md#deploy.
 */
export const PRODUCT_METRICS = {
  namespace: METRICS_NAMESPACE,
  eventOutcome: { name: EVENT_OUTCOME_METRIC, dimensions: ["service", "outcome"] },
  deadLettered: { name: DEAD_LETTERED_METRIC, dimensions: ["service", "reason", "target"] },
  dryRunPlanned: { name: DRY_RUN_PLANNED_METRIC, dimensions: ["service", "plan"] },
  platformLatency: {
    name: PLATFORM_LATENCY_METRIC,
    dimensions: ["service", "platform", "operation"],
  },
  platformUnavailable: { name: PLATFORM_UNAVAILABLE_METRIC, dimensions: ["service", "platform"] },
  ledgerUnavailable: { name: LEDGER_UNAVAILABLE_METRIC, dimensions: ["service"] },
  dueChangesEnqueued: { name: DUE_CHANGES_ENQUEUED_METRIC, dimensions: ["service"] },
  dueChangeLateness: { name: DUE_CHANGE_LATENESS_METRIC, dimensions: ["service"] },
  webhookAccepted: { name: WEBHOOK_ACCEPTED_METRIC, dimensions: ["service"] },
  webhookRejected: {
    name: WEBHOOK_REJECTED_METRIC,
    dimensions: ["service", "status", "reason"],
  },
  bambooHrIgnored: { name: BAMBOOHR_IGNORED_METRIC, dimensions: ["service"] },
  bambooHrUnordered: { name: BAMBOOHR_UNORDERED_METRIC, dimensions: ["service"] },
  guardTripped: { name: GUARD_TRIPPED_METRIC, dimensions: ["service"] },
  driftedPeople: { name: DRIFTED_PEOPLE_METRIC, dimensions: ["service"] },
  reconcileErrors: { name: RECONCILE_ERRORS_METRIC, dimensions: ["service"] },
  reconcilePassAge: { name: RECONCILE_PASS_AGE_METRIC, dimensions: ["service"] },
} as const;
