import type { SQSClient } from "@aws-sdk/client-sqs";
import { type AwsEndpoints, createDynamoDbClient, createSqsClient } from "../aws/aws-clients.ts";
import type { PlatformCredentialSources } from "../credentials/platform-credential-sources.ts";
import { DynamoDbLedger } from "../ledger/dynamodb-ledger.ts";
import { createLogger, type Logger } from "../logging/logger.ts";
import { createEmfMetrics, type Metrics } from "../metrics/metrics.ts";
import { createPlatformClients } from "../platforms/platform-clients.ts";
import type { ReconcileConfig } from "./reconcile-config.ts";
import { ReconcilePassStore } from "./reconcile-pass-store.ts";
import type { ScheduledReconcileDependencies } from "./scheduled-reconcile.ts";

export interface ReconcileDependencies extends ScheduledReconcileDependencies {
  close(): void;
}

/** The scheduled function's wiring (the tests build it on the local stand-ins). */
export function createReconcileDependencies(options: {
  config: ReconcileConfig;
  credentials: PlatformCredentialSources;
  aws?: AwsEndpoints | undefined;
  logger?: Logger | undefined;
  metrics?: Metrics | undefined;
}): ReconcileDependencies {
  const { config } = options;
  const aws = options.aws ?? {};
  const logger = options.logger ?? createLogger({ service: "reconcile" });
  const metrics = options.metrics ?? createEmfMetrics({ service: "reconcile" });
  const dynamodb = createDynamoDbClient({
    region: aws.region,
    endpoint: aws.dynamodbEndpoint,
    credentials: aws.credentials,
  });
  let sqs: SQSClient | undefined;
  if (config.apply && config.queueUrl !== undefined) {
    sqs = createSqsClient({
      region: aws.region,
      endpoint: aws.sqsEndpoint,
      credentials: aws.credentials,
    });
  }
  return {
    ledger: new DynamoDbLedger({ client: dynamodb, tableName: config.ledgerTable }),
    passes: new ReconcilePassStore({ client: dynamodb, tableName: config.ledgerTable }),
    pageSize: config.pageSize,
    maxPagesPerRun: config.maxPagesPerRun,
    ...createPlatformClients({
      accountPlatform: config.accountPlatform,
      osis: config.osis,
      credentials: options.credentials,
      timeoutMs: config.platformTimeoutMs,
      logger,
    }),
    logger,
    metrics,
    concurrency: config.concurrency,
    ratePerSecond: config.ratePerSecond,
    osisCredentials: config.osis.credentials,
    apply:
      sqs !== undefined && config.queueUrl !== undefined
        ? { sqs, queueUrl: config.queueUrl }
        : undefined,
    close: () => {
      dynamodb.destroy();
      sqs?.destroy();
    },
  };
}
