import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { BatchProcessorDependencies } from "../../shared/runtime/consumer/batch-processor.ts";
import { BatchProcessor } from "../../shared/runtime/consumer/batch-processor.ts";
import type { SettingsRecording } from "../../shared/runtime/consumer/settings-recording.ts";

/**
 * The consumer as a Lambda handler for SQS FIFO batches with ReportBatchItemFailures. The
 * deployed function (handler.ts) and the local stack's poller both call what this returns.
 */
export function createConsumerHandler(
  dependencies: BatchProcessorDependencies & {
    settingsRecording?: Pick<SettingsRecording, "begin"> | undefined;
  },
) {
  const batches = new BatchProcessor(dependencies);
  return middy<SQSEvent, SQSBatchResponse, Error, Context>()
    .use(injectLambdaContext(dependencies.logger, { resetKeys: true }))
    .use(logMetrics(dependencies.metrics, { captureColdStartMetric: true }))
    .handler(async (event, context) => {
      // Beside the first batch, never waited for: the cold start stays off the ledger.
      dependencies.settingsRecording?.begin();
      const { batchItemFailures } = await batches.process(event.Records, {
        id: context.awsRequestId,
        remainingTimeMs: () => context.getRemainingTimeInMillis(),
      });
      return { batchItemFailures };
    });
}
