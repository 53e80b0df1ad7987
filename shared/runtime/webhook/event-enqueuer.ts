import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { EnqueueFailedError } from "../errors/enqueue-failed-error.ts";
import { arrivalAttributes } from "../events/arrival.ts";
import type { QueuedMessage } from "../events/bamboohr-signal.ts";
import { sourceDeduplicationId } from "../events/deduplication-id.ts";
import { toMessageBody } from "../events/message-body.ts";
import { mapConcurrently } from "./concurrently.ts";

/** SendMessageBatch takes at most 10 entries. */
export const SQS_BATCH_LIMIT = 10;
/**
 * Batch calls in flight at once: a 1,000-employee BambooHR delivery is five round trips of
 * 20 calls, not 100 in a row (bench/bamboohr-benchmark.ts measures it).
 */
export const CALLS_IN_FLIGHT = 20;

/**
 * Sends events to the FIFO queue: group = subject (one person's events stay in order),
 * deduplication id from the event's idempotency key, `lifecycle.arrival.at` = `arrivedAt` (when
 * the webhook received them: the consumer orders them by no later than that). If any entry is refused the whole request
 * fails, and the sender's retry is safe: the entries already accepted are dropped as copies,
 * by SQS within five minutes and by the consumer's ledger after that.
 */
export async function enqueueEvents(
  sqs: SQSClient,
  queueUrl: string,
  events: readonly QueuedMessage[],
  arrivedAt: number = Date.now(),
): Promise<void> {
  const chunks: QueuedMessage[][] = [];
  for (let start = 0; start < events.length; start += SQS_BATCH_LIMIT) {
    chunks.push(events.slice(start, start + SQS_BATCH_LIMIT));
  }
  // `send` reports a refusal rather than throwing, so every chunk is tried.
  const refusals = await mapConcurrently(chunks, CALLS_IN_FLIGHT, (chunk) =>
    send(sqs, queueUrl, chunk, arrivedAt),
  );
  const failed = refusals.reduce((sum, refusal) => sum + refusal.failed, 0);
  if (failed > 0) {
    throw new EnqueueFailedError(
      failed,
      [...new Set(refusals.flatMap((refusal) => refusal.codes))],
      refusals.find((refusal) => refusal.cause !== undefined)?.cause,
    );
  }
}

interface Refusal {
  failed: number;
  codes: string[];
  cause?: unknown;
}

async function send(
  sqs: SQSClient,
  queueUrl: string,
  chunk: readonly QueuedMessage[],
  arrivedAt: number,
) {
  try {
    const output = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((event, index) => ({
          Id: String(index),
          MessageBody: toMessageBody(event),
          MessageGroupId: event.subject,
          MessageDeduplicationId: sourceDeduplicationId(event),
          MessageAttributes: arrivalAttributes(arrivedAt),
        })),
      }),
    );
    const refused = output.Failed ?? [];
    // An entry reported neither way did not get in either.
    const failed = Math.max(refused.length, chunk.length - (output.Successful?.length ?? 0));
    return { failed, codes: refused.map((entry) => entry.Code ?? "unknown") } satisfies Refusal;
  } catch (error) {
    return { failed: chunk.length, codes: [errorCode(error)], cause: error } satisfies Refusal;
  }
}

/** A network error's code (ECONNREFUSED…) or an SDK error's name (QueueDoesNotExist…). */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") return code;
  return error instanceof Error ? error.name : "unknown";
}
