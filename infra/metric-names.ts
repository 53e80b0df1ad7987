import { PLATFORM_UNAVAILABLE_METRIC } from "../shared/runtime/breaker/platform-breaker.ts";
import { LEDGER_UNAVAILABLE_METRIC } from "../shared/runtime/consumer/batch-processor.ts";
import { METRICS_NAMESPACE } from "../shared/runtime/metrics/metrics.ts";

/**
 * The functions' own metrics (CloudWatch EMF, shared/runtime/metrics/metrics.ts) that the dashboard and
 * alarms read. Every metric carries the dimension `service` plus the ones listed; EMF publishes
 * exactly that dimension set, so a search must name all of them. Documented in README.md#deploy.
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
  /** Per platform, 1 while its circuit breaker is open (each consumer invocation reports it). */
  platformUnavailable: {
    name: PLATFORM_UNAVAILABLE_METRIC,
    dimensions: ["service", "platform"],
  },
  /**
   * Count of records in a consumer batch that could not go on because the ledger was
   * unavailable (they wait, or went to the DLQ as `ledger_unavailable`); 0 in other batches.
   */
  ledgerUnavailable: { name: LEDGER_UNAVAILABLE_METRIC, dimensions: ["service"] },
  /** Count of scheduled changes the scheduler put back on the queue. */
  dueChangesEnqueued: { name: "DueChangesEnqueued", dimensions: ["service"] },
  /** Milliseconds a due change waited past its effectiveAt (the alarm reads the maximum). */
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
} as const;

/** A CloudWatch SEARCH expression over one of the product's metrics, every series it has. */
export function searchExpression(
  metric: { name: string; dimensions: readonly string[] },
  statistic: string,
  periodSeconds: number,
): string {
  const schema = [PRODUCT_METRICS.namespace, ...metric.dimensions].join(",");
  return `SEARCH('{${schema}} MetricName="${metric.name}"', '${statistic}', ${periodSeconds})`;
}

/**
 * A Metrics Insights query summing one of the product's metrics over every series it has: it
 * can be alarmed on, where a SEARCH cannot.
 */
export function insightsSum(metric: { name: string; dimensions: readonly string[] }): string {
  const schema = [`"${PRODUCT_METRICS.namespace}"`, ...metric.dimensions].join(", ");
  return `SELECT SUM(${metric.name}) FROM SCHEMA(${schema})`;
}
