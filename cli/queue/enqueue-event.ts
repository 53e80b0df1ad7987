import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { sourceDeduplicationId } from "../../shared/events/deduplication-id.ts";
import type { LifecycleEvent } from "../../shared/events/lifecycle-event.ts";
import { toMessageBody } from "../../shared/events/message-body.ts";

/**
 * Puts one event on the source queue as every producer does: group = the person (`subject`),
 * so one person's events are applied in order; deduplication id = the event's idempotency
 * key, so sending the same event twice within five minutes enqueues it once.
 */
export async function enqueueEvent(
  sqs: SQSClient,
  queueUrl: string,
  event: LifecycleEvent,
): Promise<{ messageId: string; sequenceNumber: string | undefined }> {
  const output = await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: toMessageBody(event),
      MessageGroupId: event.subject,
      MessageDeduplicationId: sourceDeduplicationId(event),
    }),
  );
  return { messageId: output.MessageId ?? "", sequenceNumber: output.SequenceNumber };
}
