import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type { Context, ScheduledEvent } from "aws-lambda";
import type { CONTINUE_PASS_EVENT } from "../../shared/contract/reconcile-continuation.ts";

import {
  runScheduledReconcile,
  type ScheduledReconcileDependencies,
  type ScheduledReconcileSummary,
} from "../../shared/runtime/reconcile/scheduled-reconcile.ts";

/** Leaves this much of the invocation to log and flush metrics after the platform reads stop. */
const DEADLINE_MARGIN_MS = 10_000;

/**
 * The scheduled reconciliation (EventBridge): one run of a pass over everyone, reporting drift
 * as logs and the `DriftedPeople` metric; corrective events only when configured to apply.
 */
export function createReconcileHandler(dependencies: ScheduledReconcileDependencies) {
  return middy<
    ScheduledEvent | typeof CONTINUE_PASS_EVENT,
    ScheduledReconcileSummary,
    Error,
    Context
  >()
    .use(injectLambdaContext(dependencies.logger, { resetKeys: true }))
    .use(logMetrics(dependencies.metrics, { captureColdStartMetric: true }))
    .handler(async (event, context) => {
      const remaining = Math.max(1_000, context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS);
      return runScheduledReconcile(dependencies, {
        trigger: "lifecycle" in event && event.lifecycle === "continue" ? "continue" : "start",
        deadline: Date.now() + remaining + DEADLINE_MARGIN_MS,
        signal: AbortSignal.timeout(remaining),
      });
    });
}
