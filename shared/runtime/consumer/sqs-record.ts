import { ARRIVAL_ATTRIBUTE, parseArrival } from "../events/arrival.ts";

/**
 * The part of an SQS record the consumer reads. Lambda's `SQSRecord` fits it, and so does what
 * the local poller builds from a ReceiveMessage answer; the business rules never see Lambda.
 */
export interface SqsRecordLike {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: {
    MessageGroupId?: string | undefined;
    ApproximateReceiveCount?: string | undefined;
    /** Epoch ms when the message was queued. */
    SentTimestamp?: string | undefined;
  };
  messageAttributes?: Readonly<Record<string, { stringValue?: string | undefined }>> | undefined;
}

/** A record's message group; a record without one (not FIFO) is a group of its own. */
export function messageGroupOf(record: SqsRecordLike): string {
  return record.attributes.MessageGroupId ?? `message:${record.messageId}`;
}

export function receiveCountOf(record: SqsRecordLike): number {
  const count = Number(record.attributes.ApproximateReceiveCount);
  return Number.isInteger(count) && count > 0 ? count : 1;
}

/** How long ago the message was queued; undefined when SQS did not say. */
export function queuedForMs(record: SqsRecordLike, now: number): number | undefined {
  const sentAt = Number(record.attributes.SentTimestamp);
  return Number.isInteger(sentAt) && sentAt > 0 ? Math.max(0, now - sentAt) : undefined;
}

/**
 * When the product first received the event (epoch ms): the earlier of the stamped arrival and
 * the queue's `SentTimestamp`, so an attribute set by whoever sent straight to SQS can make the
 * event older, never newer. Undefined when neither is known.
 */
export function arrivalOf(record: SqsRecordLike): number | undefined {
  const stamped = parseArrival(record.messageAttributes?.[ARRIVAL_ATTRIBUTE]?.stringValue);
  const sentAt = Number(record.attributes.SentTimestamp);
  const sent = Number.isInteger(sentAt) && sentAt > 0 ? sentAt : undefined;
  if (stamped === undefined) return sent;
  return sent === undefined ? stamped : Math.min(stamped, sent);
}
