import { processPartialResponse, SqsFifoPartialProcessorAsync } from "@aws-lambda-powertools/batch";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { ConsumerDependencies } from "../shared/runtime/consumer/consumer-dependencies.ts";
import { RecordProcessor } from "../shared/runtime/consumer/record-processor.ts";

/** Thrown so that Powertools marks the record failed. */
class RecordNotDoneError extends Error {
  override readonly name = "RecordNotDoneError";
}

/**
 * The consumer as most teams would write it: Powertools for AWS Lambda's FIFO partial
 * processor driving the same per-record logic (RecordProcessor: claim, judge, resolve, apply,
 * record), one record at a time. On the first failure the processor fails the rest of the
 * batch; failed records come back after the queue's visibility timeout (no backoff of its own).
 * The async variant of SqsFifoPartialProcessor is used because the record logic is async.
 */
export function createBaselineHandler(dependencies: ConsumerDependencies) {
  const records = new RecordProcessor(dependencies);
  const processor = new SqsFifoPartialProcessorAsync();
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const invocationId = context.awsRequestId;
    const remaining = context.getRemainingTimeInMillis();
    const signal = AbortSignal.timeout(Math.max(1, remaining));
    const claimExpiresAt = Date.now() + remaining;
    const recordHandler = async (record: SQSRecord) => {
      const outcome = await records.process(record, {
        invocationId,
        claimExpiresAt,
        signal,
        logger: dependencies.logger,
      });
      const { retryAfterMs: _ignored, ...reported } = outcome;
      dependencies.onOutcome?.(reported);
      if (outcome.outcome === "retried" || outcome.outcome === "untried") {
        throw new RecordNotDoneError(outcome.detail ?? outcome.outcome);
      }
    };
    return processPartialResponse(event, recordHandler, processor, { context });
  };
}
