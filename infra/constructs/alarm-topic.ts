import { Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  TreatMissingData,
} from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { Subscription, SubscriptionProtocol, Topic } from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";

export interface AlarmTopicProps {
  /** Subscribed to the topic when given; AWS mails a confirmation link first. */
  email: string | undefined;
}

export interface AlarmSpec {
  metric: IMetric;
  threshold: number;
  /** What went wrong and what the operator does about it: it is the notification's text. */
  description: string;
  /** @default 1 */
  evaluationPeriods?: number;
  /** @default NOT_BREACHING (an idle queue publishes nothing); BREACHING for a heartbeat. */
  treatMissingData?: TreatMissingData;
}

/**
 * Where operators hear about trouble: one SNS topic, optionally mailed. Every alarm notifies
 * it, and none breaches on missing data (an idle queue publishes no datapoints at all) except
 * a heartbeat, whose silence is the trouble.
 */
export class AlarmTopic extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.topic = new Topic(this, "Topic", {
      displayName: "HR lifecycle sync alarms",
      enforceSSL: true,
      masterKey: alarmTopicKey(this),
    });
    if (props.email !== undefined) {
      const mail = new Subscription(this, "Email", {
        topic: this.topic,
        protocol: SubscriptionProtocol.EMAIL,
        endpoint: props.email,
      });
      Validations.of(mail).acknowledge({
        id: "Serverless::Serverless-SNSRedrivePolicy",
        reason:
          "A DLQ would catch alarm e-mails that bounce, in a queue no one reads; the alarms' state stays on the dashboard's alarm widget and in the CloudWatch console, and SNS counts failed deliveries (NumberOfNotificationsFailed).",
      });
    }
  }

  /** An alarm at or above `threshold` that notifies the topic. */
  add(id: string, spec: AlarmSpec): Alarm {
    const alarm = new Alarm(this, id, {
      metric: spec.metric,
      threshold: spec.threshold,
      evaluationPeriods: spec.evaluationPeriods ?? 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: spec.treatMissingData ?? TreatMissingData.NOT_BREACHING,
      alarmDescription: spec.description,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }
}

/**
 * The alarm topic's own key. SNS encrypts with a KMS key that the publisher must be allowed to
 * use, and the AWS managed `alias/aws/sns` key cannot be granted to CloudWatch: alarms would stop
 * arriving, without an error anywhere. So a customer managed key, rotated yearly, whose policy
 * lets CloudWatch alarms of this account and region (and no other service) use it to publish.
 * It protects only messages in flight: deleting it with the stack loses nothing.
 */
function alarmTopicKey(scope: Construct): Key {
  const { account, region, partition } = Stack.of(scope);
  const key = new Key(scope, "TopicKey", {
    description: "HR lifecycle sync: encrypts the alarm topic; CloudWatch alarms may publish",
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
    pendingWindow: Duration.days(7),
  });
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: "CloudWatchAlarmsPublish",
      principals: [new ServicePrincipal("cloudwatch.amazonaws.com")],
      actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
      resources: ["*"],
      conditions: {
        StringEquals: { "aws:SourceAccount": account },
        ArnLike: { "aws:SourceArn": `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
      },
    }),
  );
  return key;
}
