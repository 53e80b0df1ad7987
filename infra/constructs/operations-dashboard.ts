import { Duration } from "aws-cdk-lib";
import type { RestApi } from "aws-cdk-lib/aws-apigateway";
import {
  type Alarm,
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
} from "aws-cdk-lib/aws-cloudwatch";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { PRODUCT_METRICS } from "../../shared/contract/metrics.ts";
import { searchExpression } from "../metric-names.ts";

export interface OperationsDashboardProps {
  queue: IQueue;
  deadLetterQueue: IQueue;
  consumer: IFunction;
  webhook: IFunction;
  webhookApi: RestApi;
  /** WAF's blocks of the webhook (503), when the stack has the firewall. */
  webhookBlocked?: IMetric | undefined;
  alarms: readonly Alarm[];
}

const PERIOD = Duration.minutes(5);
const WIDTH = 12;
const HEIGHT = 6;

/** Every series of one of the product's own metrics, found by a CloudWatch search. */
function search(
  metric: { name: string; dimensions: readonly string[] },
  statistic: string,
  label?: string,
): IMetric {
  return new MathExpression({
    expression: searchExpression(metric, statistic, PERIOD.toSeconds()),
    // Without a label each series is named by its dimension values (outcome, reason, …).
    ...(label === undefined ? {} : { label }),
    period: PERIOD,
    usingMetrics: {},
  });
}

/**
 * One page for the operator: the queues' depth and age, what happened to events (by outcome,
 * dead letters by reason and target, a dry run's plans apart), platform latency, the webhook,
 * and the alarms.
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const { queue, deadLetterQueue, consumer, webhook, webhookApi } = props;
    const at = { period: PERIOD };

    this.dashboard = new Dashboard(this, "Dashboard", {
      defaultInterval: Duration.hours(6),
      widgets: [
        [new AlarmStatusWidget({ title: "Alarms", alarms: [...props.alarms], width: 24 })],
        [
          new GraphWidget({
            title: "Source queue: depth and oldest message age",
            width: WIDTH,
            height: HEIGHT,
            left: [
              queue.metricApproximateNumberOfMessagesVisible({ ...at, label: "waiting" }),
              queue.metricApproximateNumberOfMessagesNotVisible({ ...at, label: "in flight" }),
            ],
            right: [queue.metricApproximateAgeOfOldestMessage({ ...at, label: "oldest (s)" })],
          }),
          new GraphWidget({
            title: "Dead-letter queue: depth, arrivals, oldest message age",
            width: WIDTH,
            height: HEIGHT,
            left: [
              deadLetterQueue.metricApproximateNumberOfMessagesVisible({ ...at, label: "depth" }),
              deadLetterQueue.metricNumberOfMessagesSent({ ...at, label: "arrived" }),
            ],
            right: [
              deadLetterQueue.metricApproximateAgeOfOldestMessage({ ...at, label: "oldest (s)" }),
            ],
          }),
        ],
        [
          new GraphWidget({
            title: "Events by outcome",
            width: WIDTH,
            height: HEIGHT,
            stacked: true,
            left: [search(PRODUCT_METRICS.eventOutcome, "Sum")],
          }),
          new GraphWidget({
            title: "Dead letters by reason and target",
            width: WIDTH,
            height: HEIGHT,
            stacked: true,
            left: [search(PRODUCT_METRICS.deadLettered, "Sum")],
          }),
        ],
        [
          new GraphWidget({
            title: "Dry run: plans sent to the DLQ as dry_run, by plan (not dead letters)",
            width: WIDTH,
            height: HEIGHT,
            stacked: true,
            left: [search(PRODUCT_METRICS.dryRunPlanned, "Sum")],
          }),
        ],
        [
          new GraphWidget({
            title: "Platform latency p95 (ms)",
            width: WIDTH,
            height: HEIGHT,
            left: [search(PRODUCT_METRICS.platformLatency, "p95")],
          }),
          new GraphWidget({
            title:
              "Platform circuit breakers (1 = open: events wait for that platform); records waiting for the ledger (right)",
            width: WIDTH,
            height: HEIGHT,
            left: [search(PRODUCT_METRICS.platformUnavailable, "Maximum")],
            leftYAxis: { min: 0, max: 1 },
            right: [search(PRODUCT_METRICS.ledgerUnavailable, "Sum", "ledger unavailable")],
            rightYAxis: { min: 0 },
          }),
        ],
        [
          new GraphWidget({
            title: "Webhook: accepted, BambooHR employees ignored, API 4xx/5xx",
            width: WIDTH,
            height: HEIGHT,
            left: [
              search(PRODUCT_METRICS.webhookAccepted, "Sum", "accepted"),
              search(PRODUCT_METRICS.bambooHrIgnored, "Sum", "BambooHR employees ignored"),
              webhookApi.metricClientError({ ...at, label: "4xx" }),
              webhookApi.metricServerError({ ...at, label: "5xx" }),
            ],
          }),
          new GraphWidget({
            title: "Webhook refusals by status and reason (function, throttle, WAF)",
            width: WIDTH,
            height: HEIGHT,
            stacked: true,
            left: [
              search(PRODUCT_METRICS.webhookRejected, "Sum"),
              ...(props.webhookBlocked ? [props.webhookBlocked] : []),
            ],
          }),
        ],
        [
          new GraphWidget({
            title: "Consumer: invocations, errors, throttles",
            width: WIDTH,
            height: HEIGHT,
            left: [
              consumer.metricInvocations({ ...at, label: "invocations" }),
              consumer.metricErrors({ ...at, label: "errors" }),
              consumer.metricThrottles({ ...at, label: "throttles" }),
            ],
          }),
          new GraphWidget({
            title: "Scheduled changes: enqueued when due, lateness max (ms)",
            width: WIDTH,
            height: HEIGHT,
            left: [search(PRODUCT_METRICS.dueChangesEnqueued, "Sum", "enqueued")],
            right: [search(PRODUCT_METRICS.dueChangeLateness, "Maximum", "lateness (ms)")],
          }),
        ],
        [
          new GraphWidget({
            title: "Duration p95 (ms)",
            width: WIDTH,
            height: HEIGHT,
            left: [
              consumer.metricDuration({ ...at, statistic: "p95", label: "consumer" }),
              webhook.metricDuration({ ...at, statistic: "p95", label: "webhook" }),
            ],
          }),
        ],
      ],
    });
  }
}
