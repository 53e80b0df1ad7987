import { Duration, Validations } from "aws-cdk-lib";
import { Metric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { Rule, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { PRODUCT_METRICS } from "../../shared/contract/metrics.ts";
import { LEDGER_TABLE, QUEUE_URL } from "../../shared/contract/setting-names.ts";
import type { AlarmTopic } from "./alarm-topic.ts";
import { grantDueChangesQuery, grantLedgerActions, grantPendingDelete } from "./ledger-table.ts";
import { type FunctionLogging, LifecycleFunction } from "./lifecycle-function.ts";

export interface SchedulerFunctionProps {
  entry: string;
  queue: IQueue;
  ledger: ITable;
  logging: FunctionLogging;
}

/** A due change more than this late raises the DueChangeLate alarm. */
const LATE_AFTER = Duration.minutes(5);

/**
 * The scheduler of effective-dated changes (docs/architecture.md, "Scheduled changes"): every
 * minute it queries the ledger's due-changes index and puts what is due back on the source
 * queue. Its permissions are exactly: query that index, claim and write person items
 * (UpdateItem, PutItem, GetItem on the table), send to the source queue, and publish outcomes
 * (the stack's OutcomeBus adds that).
 */
export class SchedulerFunction extends Construct {
  readonly lambda: LifecycleFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: SchedulerFunctionProps) {
    super(scope, id);
    this.lambda = new LifecycleFunction(this, "Scheduler", {
      entry: props.entry,
      description: "HR lifecycle sync: puts scheduled changes back on the queue when due",
      service: "scheduler",
      memorySize: 256,
      timeout: Duration.seconds(55),
      logging: props.logging,
      environment: {
        [LEDGER_TABLE]: props.ledger.tableName,
        [QUEUE_URL]: props.queue.queueUrl,
      },
    });
    const fn = this.lambda.function;
    grantDueChangesQuery(props.ledger, fn);
    grantLedgerActions(props.ledger, fn, [
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
    ]);
    grantPendingDelete(props.ledger, fn);
    props.queue.grantSendMessages(fn);

    // A minute is EventBridge's finest rate: a change is enqueued within a minute of its time.
    this.rule = new Rule(this, "EveryMinute", {
      description: "Runs the scheduler of effective-dated changes",
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(fn, { retryAttempts: 0 })],
    });
    Validations.of(this.rule).acknowledge({
      id: "Serverless::Serverless-EventBusDLQ",
      reason:
        "The schedule's events carry nothing but the time, and the next run a minute later does the work of a lost one (due changes stay in the index until enqueued). A stopped or failing scheduler raises DueChangeLate.",
    });
    Validations.of(fn).acknowledge({
      id: "Serverless::Serverless-LambdaDLQ",
      reason:
        "Invoked by its schedule only, with an empty payload: a failed run is repeated by the next one a minute later, and DueChangeLate reports a scheduler that keeps failing.",
    });
  }
}

/**
 * DueChangeLate: a due change was put back on the queue (or is still waiting) more than five
 * minutes after its effectiveAt. Every run publishes the metric, so no data means the
 * scheduler is not running or fails before it finishes: that breaches too.
 */
export function addSchedulerAlarm(topic: AlarmTopic): void {
  topic.add("DueChangeLate", {
    metric: new Metric({
      namespace: PRODUCT_METRICS.namespace,
      metricName: PRODUCT_METRICS.dueChangeLateness.name,
      dimensionsMap: { service: "scheduler" },
      statistic: "Maximum",
      period: LATE_AFTER,
    }),
    threshold: LATE_AFTER.toMilliseconds(),
    treatMissingData: TreatMissingData.BREACHING,
    description:
      "A scheduled change fell due more than 5 minutes ago and is not yet back on the queue, or the scheduler is not running (no data). Check the scheduler's logs and `lifecycle schedule list --due-before +0s` (README.md#scheduled-changes).",
  });
}
