import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { sourceDeduplicationId } from "../events/deduplication-id.ts";
import type { LifecycleEvent } from "../events/lifecycle-event.ts";

/** SQS refused some entries; the caller answers 503 and the sender retries the whole request. */
export class EnqueueFailedError extends Error {
  override readonly name = "EnqueueFailedError";
  readonly failed: number;
  constructor(failed: number, cause?: unknown) {
    super(`the queue refused ${failed} event(s)`, cause === undefined ? undefined : { cause });
    this.failed = failed;
  }
}

const SQS_BATCH_LIMIT = 10;

/**
 * Sends events to the FIFO queue: group = subject (one person's events stay in order),
 * deduplication id from the event's idempotency key, so a retried request is safe: SQS drops
 * the copies within five minutes, the consumer's ledger after that.
 */
export async function enqueueEvents(
  sqs: SQSClient,
  queueUrl: string,
  events: readonly LifecycleEvent[],
): Promise<void> {
  for (let start = 0; start < events.length; start += SQS_BATCH_LIMIT) {
    const chunk = events.slice(start, start + SQS_BATCH_LIMIT);
    let failed: number;
    try {
      const output = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((event, index) => ({
            Id: String(index),
            MessageBody: JSON.stringify(event),
            MessageGroupId: event.subject,
            MessageDeduplicationId: sourceDeduplicationId(event),
          })),
        }),
      );
      failed = output.Failed?.length ?? 0;
    } catch (error) {
      throw new EnqueueFailedError(chunk.length, error);
    }
    if (failed > 0) throw new EnqueueFailedError(failed);
  }
}
