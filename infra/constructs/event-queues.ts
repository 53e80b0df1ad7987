import { Duration, Validations } from "aws-cdk-lib";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

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
  /** Receives above this only come from a crashing consumer: it counts real attempts itself. */
  static readonly MAX_RECEIVE_COUNT = 100;
  static readonly RETENTION = Duration.days(14);

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
      deadLetterQueue: {
        queue: this.deadLetterQueue,
        maxReceiveCount: EventQueues.MAX_RECEIVE_COUNT,
      },
    });
  }
}
