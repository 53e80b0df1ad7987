import { createLogger, type Logger } from "../../shared/runtime/logging/logger.ts";
import { createEmfMetrics, type Metrics } from "../../shared/runtime/metrics/metrics.ts";

/** A JSON logger whose lines stay in memory, for assertions on what was logged. */
export function captureLogs(): {
  logger: Logger;
  lines: string[];
  records(): Record<string, unknown>[];
} {
  const lines: string[] = [];
  const logger = createLogger({ level: "debug", format: "json", sink: (line) => lines.push(line) });
  return {
    logger,
    lines,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** EMF metrics whose lines stay in memory. */
export function captureMetrics(): { metrics: Metrics; lines: string[] } {
  const lines: string[] = [];
  return {
    metrics: createEmfMetrics({ service: "consumer", sink: (line) => lines.push(line) }),
    lines,
  };
}
