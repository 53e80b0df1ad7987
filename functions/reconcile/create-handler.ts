import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type { Context, ScheduledEvent } from "aws-lambda";
import {
  runScheduledReconcile,
  type ScheduledReconcileDependencies,
  type ScheduledReconcileSummary,
} from "../../shared/reconcile/scheduled-reconcile.ts";

/** Leaves this much of the invocation to log and flush metrics after the platform reads stop. */
const DEADLINE_MARGIN_MS = 10_000;

/**
 * The scheduled reconciliation (EventBridge): report drift as logs and the `DriftedPeople`
 * metric; corrective events only when the function is configured to apply.
 */
export function createReconcileHandler(dependencies: ScheduledReconcileDependencies) {
  return middy<ScheduledEvent, ScheduledReconcileSummary, Error, Context>()
    .use(injectLambdaContext(dependencies.logger, { resetKeys: true }))
    .use(logMetrics(dependencies.metrics, { captureColdStartMetric: true }))
    .handler(async (_event, context) => {
      const remaining = context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS;
      return runScheduledReconcile(dependencies, AbortSignal.timeout(Math.max(1_000, remaining)));
    });
}
