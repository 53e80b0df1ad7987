/**
 * Metrics as CloudWatch Embedded Metric Format lines: CloudWatch turns log lines into metrics,
 * so a function needs no PutMetricData call (and no extra latency). Values are aggregated in
 * memory per name and dimension set and written by `flush`, once per invocation.
 */

export const METRICS_NAMESPACE = "HrLifecycleSync";

export type MetricUnit = "Count" | "Milliseconds";
export type Dimensions = Readonly<Record<string, string>>;

export interface Metrics {
  count(name: string, dimensions?: Dimensions, value?: number): void;
  duration(name: string, milliseconds: number, dimensions?: Dimensions): void;
  flush(): void;
}

interface Series {
  name: string;
  unit: MetricUnit;
  dimensions: Dimensions;
  values: number[];
}

export interface EmfMetricsOptions {
  service: string;
  namespace?: string;
  sink?: (line: string) => void;
  now?: () => number;
}

export function createEmfMetrics(options: EmfMetricsOptions): Metrics {
  const namespace = options.namespace ?? METRICS_NAMESPACE;
  const sink = options.sink ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? Date.now;
  const series = new Map<string, Series>();

  const record = (name: string, unit: MetricUnit, value: number, dimensions: Dimensions = {}) => {
    const key = JSON.stringify([name, unit, Object.entries(dimensions).sort()]);
    const existing = series.get(key);
    if (existing) existing.values.push(value);
    else series.set(key, { name, unit, dimensions, values: [value] });
  };

  return {
    count: (name, dimensions, value = 1) => record(name, "Count", value, dimensions),
    duration: (name, milliseconds, dimensions) =>
      record(name, "Milliseconds", milliseconds, dimensions),
    flush: () => {
      for (const { name, unit, dimensions, values } of series.values()) {
        const dimensionNames = ["service", ...Object.keys(dimensions)];
        const value = unit === "Count" ? values.reduce((a, b) => a + b, 0) : values;
        sink(
          JSON.stringify({
            _aws: {
              Timestamp: now(),
              CloudWatchMetrics: [
                {
                  Namespace: namespace,
                  Dimensions: [dimensionNames],
                  Metrics: [{ Name: name, Unit: unit }],
                },
              ],
            },
            service: options.service,
            ...dimensions,
            [name]: value,
          }),
        );
      }
      series.clear();
    },
  };
}

/** Metrics that go nowhere, for the CLI and tests that do not look at them. */
export const noMetrics: Metrics = { count() {}, duration() {}, flush() {} };
