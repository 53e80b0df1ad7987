import { PRODUCT_METRICS } from "../shared/contract/metrics.ts";

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
