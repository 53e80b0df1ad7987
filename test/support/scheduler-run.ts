import type { Metrics } from "../../shared/runtime/metrics/metrics.ts";
import { enqueueDueChanges } from "../../shared/runtime/schedule/enqueue-due-changes.ts";
import { captureLogs, captureMetrics } from "./captured-logs.ts";
import type { ConsumerEnvironment } from "./consumer-environment.ts";

/** One run of the real scheduler onto a scenario's queue, on the test's clock. */
export function schedulerRun(
  environment: ConsumerEnvironment,
  queueUrl: string,
  now: () => number,
  metrics: Metrics = captureMetrics().metrics,
) {
  return () =>
    enqueueDueChanges({
      ledger: environment.ledger,
      sqs: environment.sqs,
      queueUrl,
      logger: captureLogs().logger,
      metrics,
      now,
    });
}
