import { Duration, Validations } from "aws-cdk-lib";
import { Metric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { Rule, RuleTargetInput, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { RECONCILE_PASS_KEY } from "../../shared/contract/ledger-keys.ts";
import { PRODUCT_METRICS } from "../../shared/contract/metrics.ts";
import {
  CONTINUE_PASS_EVENT,
  CONTINUE_PASS_MINUTES,
} from "../../shared/contract/reconcile-continuation.ts";
import { LEDGER_TABLE, OSIS_CREDENTIALS, QUEUE_URL } from "../../shared/contract/setting-names.ts";
import type { AlarmTopic } from "./alarm-topic.ts";
import { grantLedgerActions, LEDGER_ACTIONS } from "./ledger-table.ts";
import { type FunctionLogging, LifecycleFunction } from "./lifecycle-function.ts";
import { platformEnvironment } from "./platform-environment.ts";

export interface ReconcileFunctionProps {
  entry: string;
  /** When a pass starts, as an EventBridge schedule expression: `rate(1 day)`, `cron(0 6 * * ? *)`. */
  schedule: string;
  queue: IQueue;
  ledger: ITable;
  accountPlatform: { url: string; secret: ISecret };
  osis: { url: string; basePath: string; secret: ISecret };
  /**
   * The consumer's OSIS_CREDENTIALS (its tuning), if set: the reconciliation judges a leaver's
   * S3 keys as the consumer treats them, or it would report keys the consumer leaves alone.
   */
  osisCredentials?: string | undefined;
  logging: FunctionLogging;
}

/**
 * The scheduled drift reconciliation (README.md#safety-rails), in report mode: it reads the
 * ledger and both platforms and publishes `DriftedPeople`, in passes over everyone that may
 * take several runs. Its permissions are exactly: read the ledger, read and write its pass item
 * (`RECONCILE#pass`), read the two platform secrets, send to the source queue (corrective
 * events, only if an operator sets RECONCILE_APPLY).
 */
export class ReconcileFunction extends Construct {
  readonly lambda: LifecycleFunction;
  /** Starts a pass (when none is under way) on the configured schedule. */
  readonly rule: Rule;
  readonly continueRule: Rule;

  constructor(scope: Construct, id: string, props: ReconcileFunctionProps) {
    super(scope, id);
    this.lambda = new LifecycleFunction(this, "Reconcile", {
      entry: props.entry,
      description: "HR lifecycle sync: daily drift report, ledger against both platforms",
      service: "reconcile",
      memorySize: 256,
      timeout: Duration.minutes(10),
      logging: props.logging,
      environment: {
        [LEDGER_TABLE]: props.ledger.tableName,
        [QUEUE_URL]: props.queue.queueUrl,
        ...platformEnvironment(props),
        ...(props.osisCredentials === undefined
          ? {}
          : { [OSIS_CREDENTIALS]: props.osisCredentials }),
      },
    });
    const fn = this.lambda.function;
    grantLedgerActions(props.ledger, fn, LEDGER_ACTIONS.reconcile);
    // The pass's own item, and no other: its cursor and counts, and the run's lease.
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
        resources: [props.ledger.tableArn],
        conditions: {
          "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": [RECONCILE_PASS_KEY] },
        },
      }),
    );
    props.accountPlatform.secret.grantRead(fn);
    props.osis.secret.grantRead(fn);
    props.queue.grantSendMessages(fn);

    this.rule = new Rule(this, "Schedule", {
      description: "Runs the drift reconciliation (report mode)",
      schedule: Schedule.expression(props.schedule),
      targets: [new LambdaFunction(fn, { retryAttempts: 2 })],
    });

    // A pass that one run cannot finish is carried on by this rule until it is complete.
    this.continueRule = new Rule(this, "Continue", {
      description: "Carries an unfinished reconciliation pass on where the last run stopped",
      schedule: Schedule.rate(Duration.minutes(CONTINUE_PASS_MINUTES)),
      targets: [
        new LambdaFunction(fn, {
          event: RuleTargetInput.fromObject(CONTINUE_PASS_EVENT),
          retryAttempts: 2,
        }),
      ],
    });

    for (const rule of [this.rule, this.continueRule]) {
      Validations.of(rule).acknowledge({
        id: "Serverless::Serverless-EventBusDLQ",
        reason:
          "The schedule's events carry nothing but the time: one that cannot be delivered after EventBridge's two retries is replaced by the next scheduled run, and a run that fails raises the ReconcileFailed alarm. A DLQ would only collect empty scheduled events.",
      });
    }
    Validations.of(fn).acknowledge({
      id: "Serverless::Serverless-LambdaDLQ",
      reason:
        "The reconciliation is invoked by its schedule only, with no payload worth keeping: a failed run is repeated by the next one, EventBridge retries it twice, and the ReconcileFailed alarm reports a failure. A DLQ would hold empty scheduled events.",
    });
  }
}

/**
 * The safety rails' alarms: the guard tripped (one `GuardTripped` a trip, from whichever
 * consumer invocation tripped it), drift found, and the reconciliation itself failing (else a
 * broken run would look like a quiet one).
 */
export function addSafetyRailAlarms(
  topic: AlarmTopic,
  reconcile: ReconcileFunction,
  maxPassHours: number,
): void {
  topic.add("GuardTripped", {
    metric: new Metric({
      namespace: PRODUCT_METRICS.namespace,
      metricName: PRODUCT_METRICS.guardTripped.name,
      dimensionsMap: { service: "consumer" },
      statistic: "Sum",
      period: Duration.minutes(1),
    }),
    threshold: 1,
    description:
      "The mass-offboarding guard tripped: offboards are held in the DLQ (held_by_guard). Check with HR whether the wave is real; `lifecycle guard status`, then discard or `lifecycle guard release --yes` and `lifecycle dlq redrive --reason held_by_guard` (README.md#safety-rails).",
  });
  topic.add("DriftDetected", {
    metric: new Metric({
      namespace: PRODUCT_METRICS.namespace,
      metricName: PRODUCT_METRICS.driftedPeople.name,
      dimensionsMap: { service: "reconcile" },
      statistic: "Maximum",
      period: Duration.hours(1),
    }),
    threshold: 1,
    description:
      "Reconciliation found people whose platform accounts differ from the ledger (say a leaver re-enabled by hand). Run `lifecycle reconcile` to see who, find out why, then `lifecycle reconcile --apply` (README.md#safety-rails).",
  });
  topic.add("ReconcilePassStale", {
    metric: new Metric({
      namespace: PRODUCT_METRICS.namespace,
      metricName: PRODUCT_METRICS.reconcilePassAge.name,
      dimensionsMap: { service: "reconcile" },
      statistic: "Maximum",
      period: Duration.hours(1),
    }),
    threshold: maxPassHours * 3600,
    // Every run publishes the age, and the continuation runs every 15 minutes: an hour without
    // it means reconciliation is not running at all.
    treatMissingData: TreatMissingData.BREACHING,
    description: `No reconciliation pass over everyone has finished for ${maxPassHours} hours (lifecycle:reconcileMaxPassHours), or reconciliation has not run for an hour: drift may go unseen. \`lifecycle reconcile status\` shows the pass under way and the last one; check the reconcile function's logs (README.md#safety-rails).`,
  });
  topic.add("ReconcileFailed", {
    metric: reconcile.lambda.function.metricErrors({ period: Duration.hours(1), statistic: "Sum" }),
    threshold: 1,
    description:
      "The scheduled reconciliation failed (configuration, a secret, or the ledger): drift is not being checked. Check its logs.",
  });
}
