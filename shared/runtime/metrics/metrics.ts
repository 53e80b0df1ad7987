import { MetricUnit, Metrics as PowertoolsMetrics } from "@aws-lambda-powertools/metrics";
import { METRICS_NAMESPACE } from "../../contract/metrics.ts";

/**
 * Metrics through Powertools for AWS Lambda: CloudWatch Embedded Metric Format lines (CloudWatch
 * turns log lines into metrics, so a function needs no PutMetricData call), its validation of
 * names, units and dimension limits, `POWERTOOLS_*` variables, and the `logMetrics` middleware
 * with the `ColdStart` metric. Ours on top: a call may carry its own dimension values (an EMF
 * line holds one value per dimension, so each set of values is a Powertools instance of its own,
 * all published together), and lines go to a sink of our choosing (tests capture them).
 */

export type Dimensions = Readonly<Record<string, string>>;

export interface EmfMetricsOptions {
  /** The `service` dimension; `POWERTOOLS_SERVICE_NAME`, when set, wins. */
  service: string;
  /** Default: `POWERTOOLS_METRICS_NAMESPACE`, else the product's namespace. */
  namespace?: string | undefined;
  /** Where EMF lines go; defaults to stdout. */
  sink?: ((line: string) => void) | undefined;
  dimensions?: Dimensions | undefined;
  singleMetric?: boolean | undefined;
}

export class Metrics extends PowertoolsMetrics {
  readonly #options: EmfMetricsOptions;
  readonly #sink: (line: string) => void;
  /** One instance per set of dimension values, kept across invocations (few sets exist). */
  readonly #bySet = new Map<string, Metrics>();

  constructor(options: EmfMetricsOptions) {
    super({
      namespace: options.namespace || process.env.POWERTOOLS_METRICS_NAMESPACE || METRICS_NAMESPACE,
      serviceName: process.env.POWERTOOLS_SERVICE_NAME || options.service,
      defaultDimensions: options.dimensions,
      singleMetric: options.singleMetric,
    });
    this.#options = options;
    this.#sink = options.sink ?? ((line) => process.stdout.write(`${line}\n`));
  }

  count(name: string, dimensions: Dimensions = {}, value = 1): void {
    this.#withDimensions(dimensions).addMetric(name, MetricUnit.Count, value);
  }

  duration(name: string, milliseconds: number, dimensions: Dimensions = {}): void {
    this.#withDimensions(dimensions).addMetric(name, MetricUnit.Milliseconds, milliseconds);
  }

  /** An age or a wait, not a count (ReconcilePassAge): alarms read its Maximum. */
  seconds(name: string, seconds: number, dimensions: Dimensions = {}): void {
    this.#withDimensions(dimensions).addMetric(name, MetricUnit.Seconds, seconds);
  }

  /** What `logMetrics` does when an invocation ends, for code outside a handler. */
  flush(): void {
    this.publishStoredMetrics();
  }

  override publishStoredMetrics(): this {
    for (const metrics of this.#bySet.values()) metrics.publishStoredMetrics();
    if (this.hasStoredMetrics() && !this.isDisabled()) {
      this.#sink(JSON.stringify(this.serializeMetrics()));
    }
    this.clearMetrics();
    this.clearDimensions();
    this.clearMetadata();
    return this;
  }

  /** `ColdStart` and other single metrics go to the same sink. */
  override singleMetric(): Metrics {
    return new Metrics({ ...this.#options, singleMetric: true });
  }

  #withDimensions(dimensions: Dimensions): Metrics {
    if (Object.keys(dimensions).length === 0) return this;
    const key = JSON.stringify(Object.entries(dimensions).sort());
    let metrics = this.#bySet.get(key);
    if (metrics === undefined) {
      metrics = new Metrics({
        ...this.#options,
        dimensions: { ...this.#options.dimensions, ...dimensions },
      });
      this.#bySet.set(key, metrics);
    }
    return metrics;
  }
}

export function createEmfMetrics(options: EmfMetricsOptions): Metrics {
  return new Metrics(options);
}

/** Metrics that go nowhere, for the local stack and tests that do not look at them. */
export const noMetrics: Metrics = createEmfMetrics({ service: "none", sink: () => {} });
