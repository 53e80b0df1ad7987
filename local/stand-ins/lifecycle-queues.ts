import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { SOURCE_QUEUE } from "../../shared/contract/source-queue.ts";

/**
 * Creates the FIFO source queue and its FIFO dead-letter queue, as the CDK stack defines them:
 * explicit deduplication ids (content-based deduplication off), 14-day DLQ retention, a source
 * queue's largest message 16 KiB under the DLQ's (room for a dead letter's attributes), and a
 * redrive policy whose maxReceiveCount is only a backstop above the consumer's own attempt limit.
 */
export interface LifecycleQueues {
  queueUrl: string;
  dlqUrl: string;
}

export interface LifecycleQueueOptions {
  queueName?: string;
  dlqName?: string;
  visibilityTimeoutSeconds?: number;
  maxReceiveCount: number;
}

export async function createLifecycleQueues(
  sqs: SQSClient,
  options: LifecycleQueueOptions,
): Promise<LifecycleQueues> {
  const fifo = { FifoQueue: "true", ContentBasedDeduplication: "false" };
  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: options.dlqName ?? "lifecycle-events-dlq.fifo",
      Attributes: { ...fifo, MessageRetentionPeriod: String(14 * 24 * 3600) },
    }),
  );
  const dlqUrl = required(dlq.QueueUrl, "dead-letter queue");
  const dlqAttributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }),
  );
  const dlqArn = required(dlqAttributes.Attributes?.QueueArn, "dead-letter queue ARN");
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: options.queueName ?? "lifecycle-events.fifo",
      Attributes: {
        ...fifo,
        VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 180),
        MaximumMessageSize: String(SOURCE_QUEUE.maxMessageBytes),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqArn,
          maxReceiveCount: options.maxReceiveCount,
        }),
      },
    }),
  );
  return { queueUrl: required(queue.QueueUrl, "queue"), dlqUrl };
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the SQS stand-in returned no ${what}`);
  return value;
}
