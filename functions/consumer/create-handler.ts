import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { BatchProcessorDependencies } from "../../shared/consumer/batch-processor.ts";
import { BatchProcessor } from "../../shared/consumer/batch-processor.ts";

/**
 * The consumer as a Lambda handler for SQS FIFO batches with ReportBatchItemFailures. The
 * deployed function (handler.ts) and the local stack's poller both call what this returns.
 */
export function createConsumerHandler(dependencies: BatchProcessorDependencies) {
  const batches = new BatchProcessor(dependencies);
  return middy<SQSEvent, SQSBatchResponse, Error, Context>()
    .use(injectLambdaContext(dependencies.logger, { resetKeys: true }))
    .use(logMetrics(dependencies.metrics, { captureColdStartMetric: true }))
    .handler(async (event, context) => {
      const { batchItemFailures } = await batches.process(event.Records, {
        id: context.awsRequestId,
        remainingTimeMs: () => context.getRemainingTimeInMillis(),
      });
      return { batchItemFailures };
    });
}
