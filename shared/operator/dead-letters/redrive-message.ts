import type { SendMessageCommandInput } from "@aws-sdk/client-sqs";
import { DLQ_ATTRIBUTES } from "../../contract/dead-letter-attributes.ts";
import { stringAttributes } from "../../runtime/dlq/attribute-value.ts";
import type { DeadLetterEntry } from "../../runtime/dlq/dead-letter-entry.ts";
import { ARRIVAL_ATTRIBUTE } from "../../runtime/events/arrival.ts";
import type { QueuedMessage } from "../../runtime/events/bamboohr-signal.ts";
import { redriveDeduplicationId } from "../../runtime/events/deduplication-id.ts";

/**
 * The message a redrive sends to the source queue:
 * - the body byte for byte (never re-serialized);
 * - the dead letter's own group id (the person), so the person's order holds;
 * - a fresh deduplication id that includes the redrive time, so a second redrive within SQS's
 *   five-minute deduplication window is not silently dropped;
 * - `lifecycle.redrive.count` (previous + 1), and the event's first arrival
 *   (`lifecycle.arrival.at`), so a redrive never makes the event newer than it was. The failure
 *   attributes are not carried back: SQS allows ten attributes per message, and the failure
 *   history is in the audit log and the ledger.
 */
export function buildRedriveMessage(
  queueUrl: string,
  entry: DeadLetterEntry,
  event: QueuedMessage,
  redriveTimeMs: number,
): SendMessageCommandInput {
  return {
    QueueUrl: queueUrl,
    MessageBody: entry.body,
    MessageGroupId: entry.groupId ?? event.subject,
    MessageDeduplicationId: redriveDeduplicationId(event, redriveTimeMs),
    MessageAttributes: stringAttributes({
      [DLQ_ATTRIBUTES.redriveCount]: String(entry.redriveCount + 1),
      [ARRIVAL_ATTRIBUTE]:
        entry.arrivedAt === undefined ? undefined : new Date(entry.arrivedAt).toISOString(),
    }),
  };
}
