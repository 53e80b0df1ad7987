import { ArnFormat, Duration, type RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import { MathExpression } from "aws-cdk-lib/aws-cloudwatch";
import {
  Archive,
  EventBus,
  type EventPattern,
  type IEventBus,
  type IRuleTarget,
  Rule,
} from "aws-cdk-lib/aws-events";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { Function as LambdaFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { PRODUCT_METRICS } from "../../shared/contract/metrics.ts";
import { OUTCOME_DETAIL_TYPE } from "../../shared/contract/outcome-event.ts";
import { OUTCOME_BUS_NAME, OUTCOME_SOURCE } from "../../shared/contract/setting-names.ts";
import { insightsSum } from "../metric-names.ts";
import type { AlarmTopic } from "./alarm-topic.ts";
import { OutcomeWebhook } from "./outcome-webhook.ts";
import { ruleMetric } from "./rule-metric.ts";

export interface OutcomeBusProps {
  /** An existing bus to publish to, by name; unset: a bus of the stack's own. */
  eventBusName: string | undefined;
  /** The `source` the functions and the CLI publish with. */
  source: string;
  /** Days the archive keeps outcomes; 0 keeps them indefinitely. */
  archiveDays: number;
  /** An endpoint that receives every outcome, and the header its API key goes in. */
  webhook: { url: string; apiKeyHeader: string } | undefined;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

/**
 * Where the product says what became of each event (docs/architecture.md, "Outcomes on a
 * custom EventBridge bus"): a custom bus (or an existing one), an archive of the outcomes to replay, and
 * an outcome log, a rule that writes every outcome to a CloudWatch Logs group (what
 * `lifecycle outcomes --stack` reads). Optionally, a rule that delivers every outcome to a
 * webhook. Only what `addPublisher` names may publish to the bus.
 */
export class OutcomeBus extends Construct {
  readonly bus: IEventBus;
  readonly archive: Archive;
  readonly logGroup: LogGroup;
  readonly logRule: Rule;
  /** Absent without `lifecycle:outcomeWebhookUrl`. */
  readonly webhook: OutcomeWebhook | undefined;

  private readonly source: string;

  constructor(scope: Construct, id: string, props: OutcomeBusProps) {
    super(scope, id);
    const { stackName } = Stack.of(this);
    this.source = props.source;
    this.bus =
      props.eventBusName === undefined
        ? new EventBus(this, "Bus", {
            eventBusName: `${stackName}-outcomes`,
            description: "HR lifecycle sync: one event per outcome the product reaches",
          })
        : EventBus.fromEventBusName(this, "Bus", props.eventBusName);
    // Only ours: on a shared bus, other sources' events are neither archived nor logged.
    const outcomes: EventPattern = { source: [props.source], detailType: [OUTCOME_DETAIL_TYPE] };

    this.archive = new Archive(this, "Archive", {
      sourceEventBus: this.bus,
      eventPattern: outcomes,
      description: "HR lifecycle sync outcomes, to replay to a subscriber that missed them",
      ...(props.archiveDays > 0 ? { retention: Duration.days(props.archiveDays) } : {}),
    });

    // Named under /aws/events/, as AWS documents EventBridge's log targets; EventBridge writes
    // to it under its resource policy, never a role.
    this.logGroup = new LogGroup(this, "Log", {
      logGroupName: `/aws/events/${stackName}/outcomes`,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    const { policyDependable } = this.logGroup.addToResourcePolicy(
      new PolicyStatement({
        sid: "EventBridgeWritesOutcomes",
        principals: [
          new ServicePrincipal("events.amazonaws.com"),
          new ServicePrincipal("delivery.logs.amazonaws.com"),
        ],
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.logRule = new Rule(this, "LogRule", {
      eventBus: this.bus,
      eventPattern: outcomes,
      description: "Writes every HR lifecycle sync outcome to its log group",
      targets: [logGroupTarget(this.logGroup)],
    });
    if (policyDependable) this.logRule.node.addDependency(policyDependable);
    Validations.of(this.logRule).acknowledge({
      id: "Serverless::Serverless-EventBusDLQ",
      reason:
        "Every outcome is also in the bus's archive: a delivery to the log group that fails after EventBridge's retries raises OutcomeLogFailed, and replaying the archive to this rule (README.md, Outcomes on EventBridge) writes it again.",
    });

    this.webhook =
      props.webhook === undefined
        ? undefined
        : new OutcomeWebhook(this, "Webhook", {
            bus: this.bus,
            eventPattern: outcomes,
            url: props.webhook.url,
            apiKeyHeader: props.webhook.apiKeyHeader,
            removalPolicy: props.removalPolicy,
          });
  }

  /** `fn` publishes outcomes: the bus and the source in its environment, PutEvents on this bus. */
  addPublisher(fn: LambdaFunction): void {
    fn.addEnvironment(OUTCOME_BUS_NAME, this.bus.eventBusName);
    fn.addEnvironment(OUTCOME_SOURCE, this.source);
    this.bus.grantPutEventsTo(fn);
  }

  /**
   * OutcomePublishFailed (an outcome waits in the ledger's outbox), OutcomeLogFailed, and the
   * webhook's two when it is configured.
   */
  addAlarms(topic: AlarmTopic): void {
    topic.add("OutcomePublishFailed", {
      metric: new MathExpression({
        expression: insightsSum(PRODUCT_METRICS.outcomePublishFailed),
        period: Duration.minutes(5),
        label: "outcomes not published",
        usingMetrics: {},
      }),
      threshold: 1,
      description:
        "An outcome could not be published to EventBridge after its retries: it is kept in the ledger's outbox and the scheduler publishes it on its next run, so subscribers learn of it late, never not at all. If this repeats, check the functions' logs (PutEvents refused or throttled) and the bus (README.md, Outcomes on EventBridge).",
    });
    topic.add("OutcomeLogFailed", {
      metric: ruleMetric(this.bus, this.logRule, "FailedInvocations"),
      threshold: 1,
      description:
        "EventBridge could not write outcomes to the outcome log group after its retries, so `lifecycle outcomes --stack` misses them. Check the log group's resource policy, then replay the archive to the log rule for that time (README.md, Outcomes on EventBridge).",
    });
    this.webhook?.addAlarms(topic);
  }
}

/**
 * The log group as a rule's target, without CDK's CloudWatchLogGroup target: that one writes
 * the resource policy through a custom resource, a Lambda function of its own.
 */
function logGroupTarget(logGroup: LogGroup): IRuleTarget {
  return {
    bind: () => ({
      arn: Stack.of(logGroup).formatArn({
        service: "logs",
        resource: "log-group",
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        resourceName: logGroup.logGroupName,
      }),
    }),
  };
}
