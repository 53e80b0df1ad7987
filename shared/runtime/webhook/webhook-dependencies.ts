import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { type AwsEndpoints, createDynamoDbClient, createSqsClient } from "../aws/aws-clients.ts";
import type { CredentialSource } from "../credentials/credential-source.ts";
import type { BambooHrApiCredentials, SigningKeys } from "../credentials/secret-shapes.ts";
import { DynamoDbLedger } from "../ledger/dynamodb-ledger.ts";
import { createLogger, type Logger } from "../logging/logger.ts";
import { createEmfMetrics, type Metrics } from "../metrics/metrics.ts";
import { BambooHrClient } from "../platforms/bamboohr/bamboohr-client.ts";
import { SigningKeyring } from "./signing-keys.ts";
import type { WebhookConfig } from "./webhook-config.ts";
import type { WebhookRequestHandlerOptions } from "./webhook-request-handler.ts";

/** Everything the webhook handler runs on. Tests and the local stack may build their own. */
export interface WebhookDependencies extends WebhookRequestHandlerOptions {
  /** Closes the AWS clients made here (the local stack and tests call it on shutdown). */
  close(): void;
}

export interface CreateWebhookDependenciesOptions {
  config: WebhookConfig;
  keys: {
    standardWebhooks: CredentialSource<SigningKeys>;
    bamboohr: CredentialSource<SigningKeys>;
  };
  /** BambooHR's API key and company domain (event-based deliveries are read back with it). */
  bamboohrApi: CredentialSource<BambooHrApiCredentials | undefined>;
  /** Where the SQS client points: omitted when deployed, the stand-in locally. */
  aws?: AwsEndpoints | undefined;
  /** An SQS client to use instead of making one (tests watch the commands it sends). */
  sqs?: SQSClient | undefined;
  logger?: Logger | undefined;
  metrics?: Metrics | undefined;
  /** Clock (epoch ms) the signature timestamps are checked against. */
  now?: (() => number) | undefined;
}

/** The deployed wiring and the local stack both build the webhook here. */
export function createWebhookDependencies(
  options: CreateWebhookDependenciesOptions,
): WebhookDependencies {
  const { config } = options;
  const ownSqs = options.sqs === undefined;
  const sqs =
    options.sqs ??
    createSqsClient({
      region: options.aws?.region,
      endpoint: options.aws?.sqsEndpoint,
      credentials: options.aws?.credentials,
      // A webhook caller waits on this: fail fast (two tries) and let the sender retry.
      requestTimeoutMs: config.sqsTimeoutMs,
      connectionTimeoutMs: 1_000,
      maxAttempts: 2,
    });
  // A webhook caller waits on this too: one GetItem, two tries, and BambooHR retries a 503.
  const dynamodb: DynamoDBClient | undefined =
    config.ledgerTable === undefined
      ? undefined
      : createDynamoDbClient({
          region: options.aws?.region,
          endpoint: options.aws?.dynamodbEndpoint,
          credentials: options.aws?.credentials,
          requestTimeoutMs: 2_000,
          connectionTimeoutMs: 1_000,
          maxAttempts: 2,
        });
  const now = options.now ?? Date.now;
  const logger = options.logger ?? createLogger({ service: "webhook" });
  return {
    sqs,
    queueUrl: config.queueUrl,
    keys: {
      standardWebhooks: new SigningKeyring(options.keys.standardWebhooks, now),
      bamboohr: new SigningKeyring(options.keys.bamboohr, now),
    },
    bamboohr: {
      mapping: config.bamboohrMapping,
      deletedMeans: config.bamboohrDeletedMeans,
      employees: new BambooHrClient({
        url: config.bamboohrApiUrl,
        credentials: options.bamboohrApi,
        timeoutMs: config.bamboohrApiTimeoutMs,
        secretName: config.bamboohrApiSecretId,
        logger,
      }),
      readBack: async () => (await options.bamboohrApi.get()) !== undefined,
      people:
        dynamodb === undefined || config.ledgerTable === undefined
          ? undefined
          : new DynamoDbLedger({ client: dynamodb, tableName: config.ledgerTable }),
    },
    maxFutureSeconds: config.maxFutureSeconds,
    bamboohrMaxAgeSeconds: config.bamboohrMaxAgeSeconds,
    maxScheduleDays: config.maxScheduleDays,
    logger,
    metrics: options.metrics ?? createEmfMetrics({ service: "webhook" }),
    now,
    close: () => {
      if (ownSqs) sqs.destroy();
      dynamodb?.destroy();
    },
  };
}
