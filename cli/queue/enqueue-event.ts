import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { arrivalAttributes } from "../../shared/runtime/events/arrival.ts";
import { sourceDeduplicationId } from "../../shared/runtime/events/deduplication-id.ts";
import type { LifecycleEvent } from "../../shared/runtime/events/lifecycle-event.ts";
import { toMessageBody } from "../../shared/runtime/events/message-body.ts";

/**
 * Puts one event on the source queue as every producer does: group = the person (`subject`),
 * so one person's events are applied in order; deduplication id = the event's idempotency
 * key, so sending the same event twice within five minutes enqueues it once; stamped with
 * `lifecycle.arrival.at` = `arrivedAt` (now), so the consumer orders it by no later than that.
 */
export async function enqueueEvent(
  sqs: SQSClient,
  queueUrl: string,
  event: LifecycleEvent,
  arrivedAt: number = Date.now(),
): Promise<{ messageId: string; sequenceNumber: string | undefined }> {
  const output = await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: toMessageBody(event),
      MessageGroupId: event.subject,
      MessageDeduplicationId: sourceDeduplicationId(event),
      MessageAttributes: arrivalAttributes(arrivedAt),
    }),
  );
  return { messageId: output.MessageId ?? "", sequenceNumber: output.SequenceNumber };
}
