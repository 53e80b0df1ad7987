import { Duration, Validations } from "aws-cdk-lib";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { SOURCE_QUEUE } from "../../shared/contract/source-queue.ts";

export interface EventQueuesProps {
  /** Six times the consumer's timeout, so a batch in progress is never handed out twice. */
  visibilityTimeout: Duration;
}

/**
 * The FIFO source queue (group = person, deduplication id = from the event) and its FIFO
 * dead-letter queue. The consumer routes failures to the DLQ itself, with reasons; the redrive
 * policy is only the backstop for a consumer that crashed or timed out.
 */
export class EventQueues extends Construct {
  /**
   * The consumer counts real attempts itself, so this is a backstop for crashes; it is SQS's
   * largest because a record waiting out a platform outage is received again every
   * CONSUMER_OUTAGE_WAIT_SECONDS (shared/contract/source-queue.ts).
   */
  static readonly MAX_RECEIVE_COUNT = SOURCE_QUEUE.maxReceiveCount;
  static readonly RETENTION = Duration.seconds(SOURCE_QUEUE.retentionSeconds);

  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: EventQueuesProps) {
    super(scope, id);
    // No redrive-allow policy naming the source queue: it would reference the source queue
    // from the DLQ while the source names the DLQ, a CloudFormation cycle. The default
    // ("allow all") lets the source queue use it.
    this.deadLetterQueue = new Queue(this, "DeadLetterQueue", {
      fifo: true,
      contentBasedDeduplication: false,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: EventQueues.RETENTION,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: "Serverless::Serverless-SQSRedrivePolicy",
      reason:
        "This queue is the dead-letter queue. Its messages wait for an operator (`lifecycle dlq list/redrive`), with alarms on arrival, depth and age; a further DLQ would only move them out of the operator's sight.",
    });
    this.queue = new Queue(this, "Queue", {
      fifo: true,
      // Deduplication ids come from the events (hash of source and id), never from bodies.
      contentBasedDeduplication: false,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // As long as the DLQ: an outage of the consumer must not silently expire events.
      retentionPeriod: EventQueues.RETENTION,
      visibilityTimeout: props.visibilityTimeout,
      maxMessageSizeBytes: SOURCE_QUEUE.maxMessageBytes,
      deadLetterQueue: {
        queue: this.deadLetterQueue,
        maxReceiveCount: EventQueues.MAX_RECEIVE_COUNT,
      },
    });
  }
}
