import { RemovalPolicy } from "aws-cdk-lib";
import {
  AttributeType,
  BillingMode,
  type ITable,
  ProjectionType,
  Table,
  TableEncryption,
} from "aws-cdk-lib/aws-dynamodb";
import { type IGrantable, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import {
  CHANGE_KEY_PREFIX,
  DUE_CHANGES_INDEX,
  LEDGER_PARTITION_KEY,
  OUTBOX_KEY_PREFIX,
} from "../../shared/contract/ledger-keys.ts";

/** The item attribute DynamoDB expires items by (epoch seconds); items that lack it stay. */
export const LEDGER_TTL_ATTRIBUTE = "expiresAt";

/**
 * The DynamoDB actions each function calls on the ledger, and no others: the consumer reads,
 * claims and writes person items (shared/runtime/ledger/dynamodb-ledger.ts) and the guard's window
 * items (shared/runtime/guard/guard-store.ts); the scheduled reconciliation lists people. Deleting a
 * guard window (`lifecycle guard release`) is the operator's, never a function's.
 */
export const LEDGER_ACTIONS = {
  consumer: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
  reconcile: ["dynamodb:Scan"],
} as const;

export interface LedgerTableProps {
  /** On: the table refuses deletion and outlives the stack (RETAIN). */
  deletionProtection: boolean;
}

/** The ledger: one item per person (`PERSON#<subject>`) and other prefixed kinds; see shared/runtime/ledger. */
export class LedgerTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: LedgerTableProps) {
    super(scope, id);
    this.table = new Table(this, "Table", {
      partitionKey: { name: LEDGER_PARTITION_KEY, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      // Encrypted at rest with the AWS owned key: no KMS charge, nothing to manage.
      encryption: TableEncryption.DEFAULT,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: LEDGER_TTL_ATTRIBUTE,
      deletionProtection: props.deletionProtection,
      // A protected table cannot be deleted by CloudFormation: keep it when the stack goes.
      removalPolicy: props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // Sparse: only pending-change items are in it (the scheduler's query).
    this.table.addGlobalSecondaryIndex({
      indexName: DUE_CHANGES_INDEX.name,
      partitionKey: { name: DUE_CHANGES_INDEX.partitionKey, type: AttributeType.STRING },
      sortKey: { name: DUE_CHANGES_INDEX.sortKey, type: AttributeType.NUMBER },
      projectionType: ProjectionType.KEYS_ONLY,
    });
  }
}

/**
 * Exactly `actions` on the table's items, and not on its index: CDK's grantRead/WriteData would
 * add `index/*` for every function, although only the scheduler queries the due-changes index.
 */
export function grantLedgerActions(
  table: ITable,
  grantee: IGrantable,
  actions: readonly `dynamodb:${string}`[],
): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: [...actions], resources: [table.tableArn] }),
  );
}

/**
 * Deleting pending-change items (`CHANGE#…`, shared/runtime/ledger/change-item.ts) once their person no
 * longer lists them, and pending outcomes (`OUTBOX#…`) once published, and no other item: the
 * consumer and the scheduler delete nothing else.
 */
export function grantPendingDelete(table: ITable, grantee: IGrantable): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ["dynamodb:DeleteItem"],
      resources: [table.tableArn],
      conditions: {
        "ForAllValues:StringLike": {
          "dynamodb:LeadingKeys": [`${CHANGE_KEY_PREFIX}*`, `${OUTBOX_KEY_PREFIX}*`],
        },
      },
    }),
  );
}

/** The due-changes index, for the one function that queries it. */
export function grantDueChangesQuery(table: ITable, grantee: IGrantable): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ["dynamodb:Query"],
      resources: [`${table.tableArn}/index/${DUE_CHANGES_INDEX.name}`],
    }),
  );
}
