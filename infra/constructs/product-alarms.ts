import { Duration } from "aws-cdk-lib";
import type { RestApi } from "aws-cdk-lib/aws-apigateway";
import { MathExpression, Metric } from "aws-cdk-lib/aws-cloudwatch";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { PRODUCT_METRICS } from "../../shared/contract/metrics.ts";
import { insightsSum } from "../metric-names.ts";
import type { AlarmTopic } from "./alarm-topic.ts";

export interface ProductAlarmsProps {
  queue: IQueue;
  deadLetterQueue: IQueue;
  /** Fourteen days; the age alarm fires at half of it. */
  deadLetterRetention: Duration;
  consumer: IFunction;
  webhookApi: RestApi;
  queueAgeAlarm: Duration;
  /**
   * The consumer runs with DRY_RUN: the DLQ fills with `dry_run` plans by design, so the
   * depth alarm, which cannot tell them apart, is left out until dry run is off.
   */
  consumerDryRun: boolean;
}

const ONE_MINUTE = Duration.minutes(1);
const FIVE_MINUTES = Duration.minutes(5);

/**
 * The alarms of the running product, each notifying the alarm topic. Later protections (the
 * mass-offboarding guard, drift reconciliation) add theirs with `topic.add` next to these.
 */
export function addProductAlarms(topic: AlarmTopic, props: ProductAlarmsProps): void {
  const { queue, deadLetterQueue, consumer, webhookApi } = props;
  // The consumer counts each dead letter it sends (DeadLettered), so this sees every new one
  // and none of a dry run's plans (DryRunPlanned); after a quiet minute the alarm returns to
  // OK and the next dead letter notifies again. (Messages moved by the redrive backstop are
  // not counted here; the depth alarm below sees them.)
  topic.add("DeadLetterArrived", {
    metric: new MathExpression({
      expression: insightsSum(PRODUCT_METRICS.deadLettered),
      period: ONE_MINUTE,
      label: "dead letters",
      usingMetrics: {},
    }),
    threshold: 1,
    description:
      "An event went to the dead-letter queue. Run `lifecycle dlq list` to read its reason, fix the cause, then `lifecycle dlq redrive`.",
  });
  if (!props.consumerDryRun) {
    topic.add("DeadLetterQueueNotEmpty", {
      metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: FIVE_MINUTES,
        statistic: "Maximum",
      }),
      threshold: 1,
      description:
        "The dead-letter queue holds events that were not applied (after a dry run: its dry_run plans, to redrive with `lifecycle dlq redrive --reason dry_run`). Inspect with `lifecycle dlq list`; redrive or remove each.",
    });
  }
  topic.add("DeadLetterAgeHigh", {
    metric: deadLetterQueue.metricApproximateAgeOfOldestMessage({
      period: FIVE_MINUTES,
      statistic: "Maximum",
    }),
    threshold: props.deadLetterRetention.toSeconds() / 2,
    description: `A dead letter is ${props.deadLetterRetention.toDays() / 2} days old; SQS deletes it at ${props.deadLetterRetention.toDays()} days. Redrive or record it before it is lost.`,
  });
  topic.add("QueueAgeHigh", {
    metric: queue.metricApproximateAgeOfOldestMessage({
      period: FIVE_MINUTES,
      statistic: "Maximum",
    }),
    threshold: props.queueAgeAlarm.toSeconds(),
    description: `An event has waited over ${props.queueAgeAlarm.toMinutes()} minutes in the source queue: the consumer is failing, throttled or retrying a platform outage. Check the consumer's logs.`,
  });
  topic.add("ConsumerErrors", {
    metric: consumer.metricErrors({ period: FIVE_MINUTES, statistic: "Sum" }),
    threshold: 1,
    description:
      "The consumer failed a whole invocation (crash, timeout, or a cold start refusing its configuration or a secret still holding REPLACE_ME). Check its logs.",
  });
  topic.add("ConsumerThrottles", {
    metric: consumer.metricThrottles({ period: FIVE_MINUTES, statistic: "Sum" }),
    threshold: 1,
    description:
      "The consumer was throttled: the account's concurrency is exhausted. Events wait in the queue until it recovers.",
  });
  for (const [id, platform] of [
    ["AccountPlatformUnavailable", "account-platform"],
    ["OsisUnavailable", "osis"],
  ] as const) {
    topic.add(id, {
      metric: new Metric({
        namespace: PRODUCT_METRICS.namespace,
        metricName: PRODUCT_METRICS.platformUnavailable.name,
        dimensionsMap: { service: "consumer", platform },
        statistic: "Maximum",
        period: ONE_MINUTE,
      }),
      threshold: 1,
      evaluationPeriods: 5,
      description: `The ${platform} circuit breaker has been open for 5 minutes: the platform stops answering, and events that need it wait in the queue (the other platform is still applied). \`lifecycle platforms\` shows the breaker; check the platform's status page. Waiting events go to the DLQ as platform_unavailable after CONSUMER_OUTAGE_PATIENCE_SECONDS (README.md, "A platform is down").`,
    });
  }
  topic.add("LedgerUnavailable", {
    metric: new Metric({
      namespace: PRODUCT_METRICS.namespace,
      metricName: PRODUCT_METRICS.ledgerUnavailable.name,
      dimensionsMap: { service: "consumer" },
      statistic: "Sum",
      period: ONE_MINUTE,
    }),
    threshold: 1,
    evaluationPeriods: 5,
    description:
      'For 5 minutes the consumer could not use its ledger (DynamoDB throttled, failed or unreachable): events wait in the queue, none is applied twice, and they go to the DLQ as ledger_unavailable after CONSUMER_OUTAGE_PATIENCE_SECONDS. Check the table\'s throttling metrics and the AWS Health Dashboard (README.md, "The ledger is throttled or down").',
  });
  topic.add("WebhookServerErrors", {
    metric: webhookApi.metricServerError({ period: FIVE_MINUTES, statistic: "Sum" }),
    threshold: 1,
    description:
      "The webhook answered 5xx: HR systems' events may not have been enqueued (they usually retry). Check the webhook's logs.",
  });
}
