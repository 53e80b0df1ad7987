import { Duration, type RemovalPolicy, SecretValue, Validations } from "aws-cdk-lib";
import { MathExpression } from "aws-cdk-lib/aws-cloudwatch";
import {
  ApiDestination,
  Authorization,
  Connection,
  type EventPattern,
  HttpMethod,
  type IEventBus,
  Rule,
} from "aws-cdk-lib/aws-events";
import { ApiDestination as ApiDestinationTarget } from "aws-cdk-lib/aws-events-targets";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { PLACEHOLDER } from "../../shared/contract/secrets.ts";
import type { AlarmTopic } from "./alarm-topic.ts";
import { ruleMetric } from "./rule-metric.ts";

export interface OutcomeWebhookProps {
  bus: IEventBus;
  eventPattern: EventPattern;
  /** The https endpoint that receives each outcome event, POSTed as JSON. */
  url: string;
  /** The header EventBridge sends the API key in. */
  apiKeyHeader: string;
  removalPolicy: RemovalPolicy;
}

/** What a failed delivery waits in: SQS keeps it 14 days at most. */
const DEAD_LETTER_RETENTION = Duration.days(14);

/**
 * Every outcome POSTed to a webhook (an EventBridge API destination), authenticated by an API
 * key. The key is in a secret the stack creates holding the placeholder; the connection keeps
 * its own copy of it, read when the connection is created or updated, so a new key takes
 * effect only once the connection is updated (README.md, Outcomes on EventBridge). A delivery
 * that still fails after EventBridge's retries goes to an encrypted dead-letter queue; both
 * alarm.
 */
export class OutcomeWebhook extends Construct {
  /** The initial value of the API key's secret. */
  static readonly TEMPLATE = { apiKey: PLACEHOLDER } as const;

  readonly secret: Secret;
  readonly connection: Connection;
  readonly deadLetterQueue: Queue;
  readonly rule: Rule;

  private readonly bus: IEventBus;

  constructor(scope: Construct, id: string, props: OutcomeWebhookProps) {
    super(scope, id);
    this.bus = props.bus;
    this.secret = new Secret(this, "ApiKey", {
      description: "The outcome webhook's API key: {apiKey}",
      // The placeholder is not a secret: it is the documented "not filled in yet" marker.
      secretStringValue: SecretValue.unsafePlainText(JSON.stringify(OutcomeWebhook.TEMPLATE)),
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.secret).acknowledge({
      id: "AwsSolutions::AwsSolutions-SMG4",
      reason:
        "The key is issued by the receiving system, so a rotation Lambda cannot mint one. Rotation is the procedure in README.md, Outcomes on EventBridge: put the new key, then update the connection, which keeps its own copy.",
    });
    // A dynamic reference, resolved by CloudFormation: the key never appears in the template.
    this.connection = new Connection(this, "Connection", {
      description: "HR lifecycle sync: the outcome webhook's API key",
      authorization: Authorization.apiKey(
        props.apiKeyHeader,
        this.secret.secretValueFromJson("apiKey"),
      ),
    });
    const destination = new ApiDestination(this, "Destination", {
      description: "HR lifecycle sync: receives every outcome",
      connection: this.connection,
      endpoint: props.url,
      httpMethod: HttpMethod.POST,
    });

    this.deadLetterQueue = new Queue(this, "DeadLetterQueue", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
    });
    Validations.of(this.deadLetterQueue).acknowledge(
      {
        id: "AwsSolutions::AwsSolutions-SQS3",
        reason:
          "This queue is the dead-letter queue of the webhook rule's target (EventBridge's DeadLetterConfig, which cdk-nag does not see). Its messages are outcomes the webhook did not take, alarmed on by OutcomeWebhookDeadLetters.",
      },
      {
        id: "Serverless::Serverless-SQSRedrivePolicy",
        reason:
          "This queue is itself a dead-letter queue: the webhook's failed deliveries wait here for an operator, with an alarm on its depth; a further DLQ would only move them out of sight.",
      },
    );
    this.rule = new Rule(this, "Rule", {
      eventBus: props.bus,
      eventPattern: props.eventPattern,
      description: "Delivers every HR lifecycle sync outcome to the outcome webhook",
      targets: [
        new ApiDestinationTarget(destination, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
  }

  /**
   * OutcomeWebhookFailed: deliveries have been failing for 15 minutes (being retried: a wrong
   * key is retried too, so waiting for the DLQ would take a day); OutcomeWebhookDeadLetters:
   * deliveries given up on, waiting in the DLQ (or, rarely, lost because the DLQ refused them).
   */
  addAlarms(topic: AlarmTopic): void {
    const metric = (name: string) => ruleMetric(this.bus, this.rule, name);
    topic.add("OutcomeWebhookFailed", {
      metric: new MathExpression({
        expression: "FILL(attempts, 0) - FILL(succeeded, 0)",
        period: Duration.minutes(5),
        label: "failed delivery attempts",
        usingMetrics: {
          attempts: metric("InvocationAttempts"),
          succeeded: metric("SuccessfulInvocationAttempts"),
        },
      }),
      threshold: 1,
      evaluationPeriods: 3,
      description:
        "Deliveries to the outcome webhook have failed for 15 minutes; EventBridge retries them for 24 hours, then puts them in the webhook's dead-letter queue. 401 or 403 (the DLQ's ERROR_MESSAGE, or the receiver's log) means the connection's API key is wrong or still REPLACE_ME: put the key and update the connection (README.md, Outcomes on EventBridge).",
    });
    topic.add("OutcomeWebhookDeadLetters", {
      metric: new MathExpression({
        expression: "FILL(waiting, 0) + FILL(failed, 0) + FILL(lost, 0)",
        period: Duration.minutes(5),
        label: "deliveries given up",
        usingMetrics: {
          waiting: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(5),
            statistic: "Maximum",
          }),
          failed: metric("FailedInvocations"),
          lost: metric("InvocationsFailedToBeSentToDlq"),
        },
      }),
      threshold: 1,
      description: `Outcomes the webhook did not take after EventBridge's retries wait in its dead-letter queue (SQS deletes them at ${DEAD_LETTER_RETENTION.toDays()} days), or could not even be put there. Fix the receiver or the key, replay the archive to the webhook rule for that time, then purge the queue (README.md, Outcomes on EventBridge).`,
    });
  }
}
