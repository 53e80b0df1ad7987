import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type { Context, ScheduledEvent } from "aws-lambda";
import {
  type KeptOutcomes,
  type OutboxRunSummary,
  publishKeptOutcomes,
} from "../../shared/runtime/outcomes/outbox-publication.ts";
import {
  type DueChangeRunDependencies,
  type DueChangeRunSummary,
  enqueueDueChanges,
} from "../../shared/runtime/schedule/enqueue-due-changes.ts";

/** Leaves this much of the invocation to log and flush metrics after the last enqueue. */
const DEADLINE_MARGIN_MS = 5_000;

/**
 * The scheduler (EventBridge, every minute): due scheduled changes back onto the queue, then
 * the outcomes kept in the outbox onto the outcome bus.
 */
export function createSchedulerHandler(
  dependencies: DueChangeRunDependencies & { keptOutcomes?: KeptOutcomes | undefined },
) {
  return middy<ScheduledEvent, SchedulerRunSummary, Error, Context>()
    .use(injectLambdaContext(dependencies.logger, { resetKeys: true }))
    .use(logMetrics(dependencies.metrics))
    .handler(async (_event, context) => {
      const remaining = context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS;
      const deadline = AbortSignal.timeout(Math.max(1_000, remaining));
      const due = await enqueueDueChanges(dependencies, deadline);
      const { keptOutcomes, logger } = dependencies;
      if (keptOutcomes === undefined) return due;
      return { ...due, outbox: await publishKeptOutcomes({ ...keptOutcomes, logger }, deadline) };
    });
}

type SchedulerRunSummary = DueChangeRunSummary & { outbox?: OutboxRunSummary };
