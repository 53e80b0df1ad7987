import { Duration, Validations } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import {
  ACCOUNT_PLATFORM_TENANT_ID,
  BAMBOOHR_API_SECRET_ID,
  DLQ_URL,
  LEDGER_TABLE,
  OSIS_CD_TENANT_ID,
  OSIS_CD_TENANT_IDS,
  PROTECTED_ACCOUNTS,
  QUEUE_URL,
} from "../../shared/contract/setting-names.ts";
import { grantLedgerActions, grantPendingDelete, LEDGER_ACTIONS } from "./ledger-table.ts";
import { type FunctionLogging, LifecycleFunction } from "./lifecycle-function.ts";
import { platformEnvironment } from "./platform-environment.ts";

export interface ConsumerFunctionProps {
  entry: string;
  queue: IQueue;
  deadLetterQueue: IQueue;
  ledger: ITable;
  accountPlatform: { url: string; tenantId: string; secret: ISecret };
  osis: { url: string; basePath: string; cdTenantId: string; cdTenantIds: string; secret: ISecret };
  protectedAccounts: string;
  /**
   * BambooHR's API secret (read when a BambooHR signal is first read back) and the BambooHR
   * settings the consumer shares with the webhook.
   */
  bambooHr: { apiSecret: ISecret; settings: Readonly<Record<string, string>> };
  /** Extra environment variables (README.md#consumer-configuration), passed through unchanged. */
  tuning: Readonly<Record<string, string>>;
  maxConcurrency: number;
  timeout: Duration;
  memorySize: number;
  logging: FunctionLogging;
}

/**
 * The consumer: SQS FIFO batches of up to 10 with partial batch responses, applied to both
 * platforms and the ledger. Its permissions are exactly: consume its queue, send to its DLQ,
 * the ledger actions it calls, read its two platform secrets and BambooHR's API secret, and
 * publish outcomes (the stack's OutcomeBus adds that).
 */
export class ConsumerFunction extends Construct {
  /** A FIFO event source takes at most 10 records a batch. */
  static readonly BATCH_SIZE = 10;

  readonly lambda: LifecycleFunction;

  constructor(scope: Construct, id: string, props: ConsumerFunctionProps) {
    super(scope, id);
    this.lambda = new LifecycleFunction(this, "Consumer", {
      entry: props.entry,
      description: "HR lifecycle sync: applies queued onboard/offboard events to both platforms",
      service: "consumer",
      memorySize: props.memorySize,
      timeout: props.timeout,
      logging: props.logging,
      environment: {
        ...props.tuning,
        [QUEUE_URL]: props.queue.queueUrl,
        [DLQ_URL]: props.deadLetterQueue.queueUrl,
        [LEDGER_TABLE]: props.ledger.tableName,
        ...platformEnvironment(props),
        [ACCOUNT_PLATFORM_TENANT_ID]: props.accountPlatform.tenantId,
        [OSIS_CD_TENANT_ID]: props.osis.cdTenantId,
        [OSIS_CD_TENANT_IDS]: props.osis.cdTenantIds,
        [PROTECTED_ACCOUNTS]: props.protectedAccounts,
        ...props.bambooHr.settings,
        [BAMBOOHR_API_SECRET_ID]: props.bambooHr.apiSecret.secretArn,
      },
    });
    const fn = this.lambda.function;

    // The event source grants receive, change visibility, delete and get attributes on the queue.
    fn.addEventSource(
      new SqsEventSource(props.queue, {
        batchSize: ConsumerFunction.BATCH_SIZE,
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency,
      }),
    );
    props.deadLetterQueue.grantSendMessages(fn);
    grantLedgerActions(props.ledger, fn, LEDGER_ACTIONS.consumer);
    grantPendingDelete(props.ledger, fn);
    props.accountPlatform.secret.grantRead(fn);
    props.osis.secret.grantRead(fn);
    props.bambooHr.apiSecret.grantRead(fn);

    Validations.of(fn).acknowledge(
      {
        id: "Serverless::Serverless-LambdaDLQ",
        reason:
          "Only the SQS event source invokes the consumer, synchronously; a function DLQ applies to asynchronous invocations only. The consumer routes failed events to the FIFO DLQ itself, with reasons, and the source queue's redrive policy is the backstop.",
      },
      {
        id: "Serverless::Serverless-LambdaEventSourceMappingDestination",
        reason:
          "SQS event sources do not support on-failure destinations (only stream and Kafka sources do); the source queue's redrive policy to the FIFO DLQ is that destination.",
      },
    );
  }
}

/** SQS hands a message out again only after this; six times the timeout is AWS's advice. */
export function queueVisibilityTimeout(consumerTimeout: Duration): Duration {
  return Duration.seconds(consumerTimeout.toSeconds() * 6);
}
