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
