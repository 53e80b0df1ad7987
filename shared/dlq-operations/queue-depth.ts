import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";

/** SQS's approximate counts of a queue (they lag by a few seconds on AWS). */
export interface QueueDepth {
  visible: number;
  inFlight: number;
  total: number;
}

export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<QueueDepth> {
  const output = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  const visible = Number(output.Attributes?.ApproximateNumberOfMessages ?? 0);
  const inFlight = Number(output.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  return { visible, inFlight, total: visible + inFlight };
}

export async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const output = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }),
  );
  const arn = output.Attributes?.QueueArn;
  if (arn === undefined) throw new Error(`SQS returned no ARN for ${queueUrl}`);
  return arn;
}
