import type { SQSClient } from "@aws-sdk/client-sqs";
import { type AwsEndpoints, createDynamoDbClient, createSqsClient } from "../aws/aws-clients.ts";
import type { CredentialSource } from "../credentials/credential-source.ts";
import type { PlatformCredentialSources } from "../credentials/platform-credential-sources.ts";
import { DynamoDbLedger } from "../ledger/dynamodb-ledger.ts";
import { createLogger, type Logger } from "../logging/logger.ts";
import { createEmfMetrics, type Metrics } from "../metrics/metrics.ts";
import { createPlatformClients } from "../platforms/platform-clients.ts";
import { enqueueEvents } from "../webhook/event-enqueuer.ts";
import type { ScimConfig } from "./scim-config.ts";
import { ScimDirectory } from "./scim-directory.ts";
import { ScimLinkStore } from "./scim-link-store.ts";
import type { ScimRequestHandlerDependencies } from "./scim-request-handler.ts";
import type { ScimTokens } from "./scim-token-secret.ts";
import { ScimUserChanges } from "./scim-user-changes.ts";

/** Everything the SCIM handler runs on. Tests and the local stack may build their own. */
export interface ScimDependencies extends ScimRequestHandlerDependencies {
  metrics: Metrics;
  /** Closes the AWS clients made here (the local stack and tests call it on shutdown). */
  close(): void;
}

export interface CreateScimDependenciesOptions {
  config: ScimConfig;
  credentials: PlatformCredentialSources;
  tokens: CredentialSource<ScimTokens>;
  /** Where the AWS clients point: omitted when deployed, the stand-ins locally. */
  aws?: AwsEndpoints | undefined;
  /** An SQS client to use instead of making one (tests watch the commands it sends). */
  sqs?: SQSClient | undefined;
  logger?: Logger | undefined;
  metrics?: Metrics | undefined;
  now?: (() => number) | undefined;
}

/** The deployed wiring and the local stack both build the SCIM function here. */
export function createScimDependencies(options: CreateScimDependenciesOptions): ScimDependencies {
  const { config, aws } = options;
  const logger = options.logger ?? createLogger({ service: "scim" });
  const now = options.now ?? Date.now;
  const ownSqs = options.sqs === undefined;
  // An identity provider waits on these: fail fast (two tries each); it retries a 503.
  const sqs =
    options.sqs ??
    createSqsClient({
      region: aws?.region,
      endpoint: aws?.sqsEndpoint,
      credentials: aws?.credentials,
      requestTimeoutMs: config.sqsTimeoutMs,
      connectionTimeoutMs: 1_000,
      maxAttempts: 2,
    });
  const dynamodb = createDynamoDbClient({
    region: aws?.region,
    endpoint: aws?.dynamodbEndpoint,
    credentials: aws?.credentials,
    requestTimeoutMs: 2_000,
    connectionTimeoutMs: 1_000,
    maxAttempts: 2,
  });
  const platforms = createPlatformClients({
    accountPlatform: { url: config.accountPlatform.url },
    osis: { url: config.osis.url, basePath: config.osis.basePath },
    credentials: options.credentials,
    timeoutMs: config.platformTimeoutMs,
    logger,
  });
  const links = new ScimLinkStore({ client: dynamodb, tableName: config.ledgerTable });
  return {
    tokens: async () => (await options.tokens.get()).tokens,
    directory: new ScimDirectory({
      accountPlatform: platforms.accountPlatform,
      osis: platforms.osis,
      links,
      people: new DynamoDbLedger({ client: dynamodb, tableName: config.ledgerTable }),
      tenantId: config.accountPlatform.tenantId,
      osisCdTenantId: config.osis.cdTenantId,
      readConcurrency: config.readConcurrency,
    }),
    changes: new ScimUserChanges({
      links,
      enqueue: (events, arrivedAt) => enqueueEvents(sqs, config.queueUrl, events, arrivedAt),
      protectedAccounts: config.protectedAccounts,
      osisCdTenantId: config.osis.cdTenantId,
      now,
    }),
    logger,
    metrics: options.metrics ?? createEmfMetrics({ service: "scim" }),
    close: () => {
      if (ownSqs) sqs.destroy();
      dynamodb.destroy();
    },
  };
}
