import type { SQSClient } from "@aws-sdk/client-sqs";
import {
  type AwsClientOptions,
  createDynamoDbClient,
  createSqsClient,
} from "../aws/aws-clients.ts";
import type { CredentialSource } from "../credentials/credential-source.ts";
import type { AccountPlatformCredentials, OsisCredentials } from "../credentials/secret-shapes.ts";
import { DynamoDbLedger } from "../ledger/dynamodb-ledger.ts";
import { createLogger, type Logger } from "../logging/logger.ts";
import { createEmfMetrics, type Metrics } from "../metrics/metrics.ts";
import { AccountPlatformClient } from "../platforms/account-platform/account-platform-client.ts";
import { OsisClient } from "../platforms/osis/osis-client.ts";
import type { ReconcileConfig } from "./reconcile-config.ts";
import type { ScheduledReconcileDependencies } from "./scheduled-reconcile.ts";

export interface ReconcileDependencies extends ScheduledReconcileDependencies {
  close(): void;
}

/** The scheduled function's wiring (the tests build it on the local stand-ins). */
export function createReconcileDependencies(options: {
  config: ReconcileConfig;
  credentials: {
    accountPlatform: CredentialSource<AccountPlatformCredentials>;
    osis: CredentialSource<OsisCredentials>;
  };
  aws?: {
    region?: string | undefined;
    credentials?: AwsClientOptions["credentials"];
    sqsEndpoint?: string | undefined;
    dynamodbEndpoint?: string | undefined;
  };
  logger?: Logger | undefined;
  metrics?: Metrics | undefined;
}): ReconcileDependencies {
  const { config } = options;
  const aws = options.aws ?? {};
  const logger = options.logger ?? createLogger({ fields: { service: "reconcile" } });
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
    accountPlatform: new AccountPlatformClient({
      url: config.accountPlatform.url,
      credentials: options.credentials.accountPlatform,
      timeoutMs: config.platformTimeoutMs,
      logger,
    }),
    osis: new OsisClient({
      url: config.osis.url,
      basePath: config.osis.basePath,
      credentials: options.credentials.osis,
      timeoutMs: config.platformTimeoutMs,
      logger,
    }),
    logger,
    metrics,
    concurrency: config.concurrency,
    ratePerSecond: config.ratePerSecond,
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
