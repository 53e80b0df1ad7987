import type { MessageAttributeValue, SendMessageCommandInput } from "@aws-sdk/client-sqs";
import {
  DLQ_ATTRIBUTES,
  type FailureReason,
  type FailureTarget,
  MAX_DETAIL_LENGTH,
} from "../../contract/dead-letter-attributes.ts";
import { ARRIVAL_ATTRIBUTE } from "../events/arrival.ts";
import { deadLetterDeduplicationId } from "../events/deduplication-id.ts";
import { SUBJECT_PATTERN } from "../events/event-field-rules.ts";
import { shortText } from "../http/error-body.ts";
import { stringAttributes } from "./attribute-value.ts";

/**
 * The message group of a dead letter whose body names no usable subject (not JSON, or no valid
 * `subject`): such messages are kept together, in the order they failed.
 */
export const INVALID_EVENT_GROUP_ID = "invalid";

/** Everything a dead-letter message is made of (docs/consumer.md, "Dead letters"). */
export interface DeadLetter {
  /** The original message body, byte for byte. */
  body: string;
  /** The person key (the event's subject), or INVALID_EVENT_GROUP_ID. */
  groupId: string;
  sourceMessageId: string;
  /** The attempt that failed: with the message id, the deduplication id. */
  attempt: number;
  reason: FailureReason;
  target?: FailureTarget | undefined;
  status?: number | undefined;
  detail?: string | undefined;
  /** When the failure was decided, epoch ms. */
  at: number;
  /** Carried over from a redriven message's own `lifecycle.redrive.count`. */
  redriveCount?: string | undefined;
  /** When the product first received the event, epoch ms (`lifecycle.arrival.at`, kept by a redrive). */
  arrivedAt?: number | undefined;
}

/** The group id for a body: its subject when it has a valid one, else INVALID_EVENT_GROUP_ID. */
export function deadLetterGroupId(subject: unknown): string {
  return typeof subject === "string" && SUBJECT_PATTERN.test(subject)
    ? subject
    : INVALID_EVENT_GROUP_ID;
}

export function buildDeadLetterMessage(
  dlqUrl: string,
  deadLetter: DeadLetter,
): SendMessageCommandInput {
  return {
    QueueUrl: dlqUrl,
    MessageBody: deadLetter.body,
    MessageGroupId: deadLetter.groupId,
    MessageDeduplicationId: deadLetterDeduplicationId(
      deadLetter.sourceMessageId,
      deadLetter.attempt,
    ),
    MessageAttributes: deadLetterAttributes(deadLetter),
  };
}

/** String attributes, each made valid for SQS by `stringAttributes` (absent or empty: left out). */
export function deadLetterAttributes(
  deadLetter: DeadLetter,
): Record<string, MessageAttributeValue> {
  const values: Record<string, string | undefined> = {
    [DLQ_ATTRIBUTES.reason]: deadLetter.reason,
    [DLQ_ATTRIBUTES.target]: deadLetter.target,
    [DLQ_ATTRIBUTES.status]:
      deadLetter.status === undefined ? undefined : String(deadLetter.status),
    [DLQ_ATTRIBUTES.detail]:
      deadLetter.detail === undefined ? undefined : shortDetail(deadLetter.detail),
    [DLQ_ATTRIBUTES.attempts]: String(deadLetter.attempt),
    [DLQ_ATTRIBUTES.at]: new Date(deadLetter.at).toISOString(),
    [DLQ_ATTRIBUTES.sourceMessageId]: deadLetter.sourceMessageId,
    [DLQ_ATTRIBUTES.redriveCount]: deadLetter.redriveCount,
    [ARRIVAL_ATTRIBUTE]:
      deadLetter.arrivedAt === undefined ? undefined : new Date(deadLetter.arrivedAt).toISOString(),
  };
  return stringAttributes(values);
}

/** One line, at most MAX_DETAIL_LENGTH characters. */
export function shortDetail(text: string): string {
  return shortText(text, MAX_DETAIL_LENGTH);
}
