import { setTimeout as sleep } from "node:timers/promises";
import type { Context, SQSEvent } from "aws-lambda";
import { describeError, type Logger } from "../shared/runtime/logging/logger.ts";
import type { SqsBatchHandler } from "./event-source-poller-options.ts";

/**
 * Invokes the handler with one batch as Lambda would and returns the message ids to leave on
 * the queue, or "all" when the invocation failed as a whole (it threw, overran its timeout, or
 * reported an identifier not in its batch).
 */
export async function failedRecordsOfInvocation(
  handler: SqsBatchHandler,
  event: SQSEvent,
  context: Context,
  { logger, functionTimeoutMs }: { logger: Logger; functionTimeoutMs: number },
): Promise<Set<string> | "all"> {
  const timer = new AbortController();
  try {
    const result = await Promise.race([
      handler(event, context),
      sleep(functionTimeoutMs, TIMED_OUT, { signal: timer.signal }),
    ]);
    if (result === TIMED_OUT) {
      logger.error("The consumer invocation timed out; its whole batch will be delivered again", {
        requestId: context.awsRequestId,
        functionTimeoutMs,
        records: event.Records.length,
      });
      return "all";
    }
    const ids = new Set(event.Records.map((record) => record.messageId));
    const failures = result?.batchItemFailures ?? [];
    const failed = new Set<string>();
    for (const failure of failures) {
      if (!ids.has(failure.itemIdentifier)) {
        // Lambda treats a null, empty or unknown identifier as a failure of the whole batch.
        logger.error("The consumer reported a record not in its batch; the batch failed", {
          requestId: context.awsRequestId,
          itemIdentifier: failure.itemIdentifier,
        });
        return "all";
      }
      failed.add(failure.itemIdentifier);
    }
    return failed;
  } catch (error) {
    logger.error("The consumer invocation failed; its whole batch will be delivered again", {
      requestId: context.awsRequestId,
      error: describeError(error),
    });
    return "all";
  } finally {
    timer.abort();
  }
}

const TIMED_OUT = Symbol("timed out");
