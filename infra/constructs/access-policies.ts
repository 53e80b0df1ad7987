import { Stack } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import type { IEventBus } from "aws-cdk-lib/aws-events";
import { ManagedPolicy, PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { ILogGroup } from "aws-cdk-lib/aws-logs";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { DUE_CHANGES_INDEX } from "../../shared/contract/ledger-keys.ts";

export interface AccessPoliciesProps {
  queue: IQueue;
  deadLetterQueue: IQueue;
  ledger: ITable;
  /** The secrets `lifecycle reconcile` and `lifecycle plan` read the platforms with. */
  platformSecrets: readonly ISecret[];
  /** The bus the CLI publishes `redriven` and `discarded` to, and the outcome log it reads. */
  outcomeBus: IEventBus;
  outcomeLog: ILogGroup;
}

/**
 * What the stack's users need, as managed policies to attach to their roles, users or groups
 * (stack outputs `OperatorPolicyArn`, `ProducerPolicyArn`). CloudFormation names them, so two
 * stacks in one account never collide. test/integration/cli/operator-policy.test.ts records
 * every AWS call each `lifecycle` command makes and holds the operator policy to it.
 */
export class AccessPolicies extends Construct {
  /** Every `lifecycle` command against this stack. */
  readonly operator: ManagedPolicy;
  /** A system that sends events straight to the source queue, and nothing else. */
  readonly producer: ManagedPolicy;

  constructor(scope: Construct, id: string, props: AccessPoliciesProps) {
    super(scope, id);
    const { queue, deadLetterQueue: dlq, ledger } = props;
    this.operator = new ManagedPolicy(this, "Operator", {
      description:
        "Run every lifecycle command (send, plan, dlq, status, platforms, schedule, guard, reconcile, outcomes) against this stack",
      statements: [
        // --stack NAME reads the outputs of this stack only.
        statement(["cloudformation:DescribeStacks"], [Stack.of(this).stackId]),
        // send, redrive, guard release --redrive and reconcile --apply enqueue events; a native
        // redrive's destination needs SendMessage too.
        statement(["sqs:SendMessage", "sqs:GetQueueAttributes"], [queue.queueArn]),
        // dlq list/redrive/discard and plan --dlq hold, delete and release dead letters.
        // StartMessageMoveTask also needs Receive, Delete and GetQueueAttributes on its source.
        statement(
          [
            "sqs:ReceiveMessage",
            "sqs:DeleteMessage",
            "sqs:ChangeMessageVisibility",
            "sqs:GetQueueAttributes",
            "sqs:StartMessageMoveTask",
            "sqs:ListMessageMoveTasks",
            "sqs:CancelMessageMoveTask",
          ],
          [dlq.queueArn],
        ),
        // The ledger's items: status, platforms, schedule, guard, redrive's stale check, the
        // claims schedule cancel and guard release take; reconcile reads every person (Scan).
        statement(
          [
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:Scan",
          ],
          [ledger.tableArn],
        ),
        // schedule list reads the due-changes index (never a scan of the table).
        statement(["dynamodb:Query"], [`${ledger.tableArn}/index/${DUE_CHANGES_INDEX.name}`]),
        // reconcile and plan read users' state on the platforms with the consumer's secrets.
        statement(
          ["secretsmanager:GetSecretValue"],
          props.platformSecrets.map((secret) => secret.secretArn),
        ),
        // dlq redrive and discard publish the outcome of the letters they act on.
        statement(["events:PutEvents"], [props.outcomeBus.eventBusArn]),
        // outcomes --stack reads the outcome log.
        statement(["logs:FilterLogEvents"], [props.outcomeLog.logGroupArn]),
      ],
    });
    this.producer = new ManagedPolicy(this, "Producer", {
      description: "Send HR lifecycle events to this stack's source queue, and nothing else",
      statements: [statement(["sqs:SendMessage"], [queue.queueArn])],
    });
  }
}

function statement(actions: string[], resources: string[]): PolicyStatement {
  return new PolicyStatement({ actions, resources });
}
