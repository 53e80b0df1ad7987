import type { Message } from "@aws-sdk/client-sqs";
import type { SQSEvent, SQSMessageAttribute, SQSRecord } from "aws-lambda";

/**
 * The event Lambda's SQS event source mapping builds from a ReceiveMessage answer: one record
 * per message, system attributes as strings, message attributes with lower-case keys.
 */
export function toSqsEvent(
  messages: readonly Message[],
  queue: { arn: string; region: string },
): SQSEvent {
  return { Records: messages.map((message) => toSqsRecord(message, queue)) };
}

function toSqsRecord(message: Message, queue: { arn: string; region: string }): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? "",
    receiptHandle: message.ReceiptHandle ?? "",
    body: message.Body ?? "",
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? "1",
      SentTimestamp: attributes.SentTimestamp ?? "0",
      SenderId: attributes.SenderId ?? "local",
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? "0",
      ...(attributes.SequenceNumber ? { SequenceNumber: attributes.SequenceNumber } : {}),
      ...(attributes.MessageGroupId ? { MessageGroupId: attributes.MessageGroupId } : {}),
      ...(attributes.MessageDeduplicationId
        ? { MessageDeduplicationId: attributes.MessageDeduplicationId }
        : {}),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => {
        const attribute: SQSMessageAttribute = {
          dataType: value.DataType ?? "String",
          stringListValues: [],
          binaryListValues: [],
        };
        if (value.StringValue !== undefined) attribute.stringValue = value.StringValue;
        if (value.BinaryValue !== undefined) {
          attribute.binaryValue = Buffer.from(value.BinaryValue).toString("base64");
        }
        return [name, attribute];
      }),
    ),
    md5OfBody: message.MD5OfBody ?? "",
    ...(message.MD5OfMessageAttributes
      ? { md5OfMessageAttributes: message.MD5OfMessageAttributes }
      : {}),
    eventSource: "aws:sqs",
    eventSourceARN: queue.arn,
    awsRegion: queue.region,
  };
}
