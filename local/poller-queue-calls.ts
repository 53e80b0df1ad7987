import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { unlessCutOff } from "../shared/runtime/consumer/invocation-deadline.ts";
import { describeError, type Logger } from "../shared/runtime/logging/logger.ts";

interface PollerQueue {
  sqs: SQSClient;
  queueUrl: string;
  logger: Logger;
}

/**
 * One long poll. On stop the poller stops waiting for it at once, but the request itself is
 * left to end: cut off, an answer already on its way would leave its messages invisible for a
 * whole visibility timeout, received by nobody. Messages in an answer that comes after the
 * stop are handed back to the queue at once.
 */
export async function receiveBatch(
  queue: PollerQueue & { batchSize: number; waitTimeSeconds: number },
  signal: AbortSignal,
): Promise<Message[]> {
  const receiving = queue.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queue.queueUrl,
      MaxNumberOfMessages: queue.batchSize,
      WaitTimeSeconds: queue.waitTimeSeconds,
      MessageSystemAttributeNames: ["All"],
      MessageAttributeNames: ["All"],
    }),
  );
  const output = await unlessCutOff(receiving, signal, ABORTED);
  if (output !== ABORTED) return output.Messages ?? [];
  receiving.then(
    (late) => releaseRecords(queue, late.Messages ?? []),
    () => {},
  );
  return [];
}

async function releaseRecords(queue: PollerQueue, messages: readonly Message[]): Promise<void> {
  if (messages.length === 0) return;
  try {
    await queue.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queue.queueUrl,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle ?? "",
          VisibilityTimeout: 0,
        })),
      }),
    );
  } catch (error) {
    queue.logger.debug("Could not hand back records received after the stop", {
      records: messages.length,
      error: describeError(error),
    });
  }
}

/** Deletes processed records; returns how many were deleted. */
export async function deleteRecords(
  queue: PollerQueue,
  messages: readonly Message[],
): Promise<number> {
  if (messages.length === 0) return 0;
  try {
    const output = await queue.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queue.queueUrl,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle ?? "",
        })),
      }),
    );
    const failed = output.Failed ?? [];
    for (const failure of failed) {
      queue.logger.warn("Could not delete a processed record; it will come back", {
        messageId: messages[Number(failure.Id)]?.MessageId,
        code: failure.Code,
      });
    }
    return messages.length - failed.length;
  } catch (error) {
    // The records come back after their visibility timeout; the ledger makes them duplicates.
    queue.logger.warn("Could not delete processed records; they will come back", {
      records: messages.length,
      error: describeError(error),
    });
    return 0;
  }
}

const ABORTED = Symbol("aborted");
