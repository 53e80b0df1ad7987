import type { MiddlewareObj } from "@middy/core";
import type { Metrics } from "../../shared/metrics/metrics.ts";

/** Writes the invocation's metrics (EMF lines) once it ended, whether it succeeded or threw. */
export function flushMetrics(metrics: Metrics): MiddlewareObj {
  const flush = () => metrics.flush();
  return { name: "flushMetrics", after: flush, onError: flush };
}
