import type { SQSClient } from "@aws-sdk/client-sqs";
import { PLATFORM_LATENCY_METRIC } from "../../contract/metrics.ts";
import {
  type AwsEndpoints,
  createDynamoDbClient,
  createSqsClientAtFirstUse,
} from "../aws/aws-clients.ts";
import { BreakerStore } from "../breaker/breaker-store.ts";
import { PlatformBreaker } from "../breaker/platform-breaker.ts";
import type { CredentialSource } from "../credentials/credential-source.ts";
import type { PlatformCredentialSources } from "../credentials/platform-credential-sources.ts";
import type { BambooHrApiCredentials } from "../credentials/secret-shapes.ts";
import { DeadLetterRouter } from "../dlq/dead-letter-router.ts";
import type { PlatformName } from "../errors/platform-errors.ts";
import { createOffboardingGuard } from "../guard/create-offboarding-guard.ts";
import { GuardStore } from "../guard/guard-store.ts";
import type { PlatformWriteGate } from "../guard/write-gate.ts";
import type { OnPlatformCall } from "../http/call-record.ts";
import { DynamoDbLedger } from "../ledger/dynamodb-ledger.ts";
import { createLogger, type Logger } from "../logging/logger.ts";
import { createEmfMetrics, type Metrics } from "../metrics/metrics.ts";
import { createOutcomeBus } from "../outcomes/outcome-bus.ts";
import { OutcomeOutbox } from "../outcomes/outcome-outbox.ts";
import { OutcomePublisher } from "../outcomes/outcome-publisher.ts";
import { PlatformPace } from "../pace/platform-pace.ts";
import { BambooHrClient } from "../platforms/bamboohr/bamboohr-client.ts";
import { createPlatformClients } from "../platforms/platform-clients.ts";
import type { BatchProcessorDependencies } from "./batch-processor.ts";
import type { ConsumerConfig } from "./consumer-config.ts";
import type { OnOutcome } from "./outcome.ts";
import { SettingsRecording } from "./settings-recording.ts";

/** Everything the consumer handler runs on. Tests and the local stack may build their own. */
export interface ConsumerDependencies extends BatchProcessorDependencies {
  /**
   * Records the guard settings the consumer runs with on the guard's ledger item, for
   * `lifecycle guard status`, beside the first batch (none in a dry run, which writes nothing).
   */
  settingsRecording: SettingsRecording | undefined;
  /** Closes the AWS SDK clients made here (the local stack and tests call it on shutdown). */
  close(): void;
}

export interface CreateConsumerDependenciesOptions {
  config: ConsumerConfig;
  credentials: PlatformCredentialSources;
  aws?: AwsEndpoints | undefined;
  logger?: Logger | undefined;
  metrics?: Metrics | undefined;
  onOutcome?: OnOutcome | undefined;
  /** Default: the mass-offboarding guard on the ledger table, unless `config.guard` disables it. */
  writeGate?: PlatformWriteGate | undefined;
  /** Randomness of the backoff jitter (tests make it fixed). */
  random?: (() => number) | undefined;
  /** Clock (epoch ms) of the ledger and DLQ timestamps. */
  now?: (() => number) | undefined;
  /** An SQS client to use instead of making one (tests watch the commands it sends). */
  sqs?: SQSClient | undefined;
  /**
   * BambooHR's API key and company domain, read when a BambooHR signal is first read back (not
   * at cold start). Undefined: this consumer reads no employee, and signals wait (retried).
   */
  bamboohrApi?: CredentialSource<BambooHrApiCredentials | undefined> | undefined;
}

/** The deployed wiring and the local stack both build the consumer here. */
export function createConsumerDependencies(
  options: CreateConsumerDependenciesOptions,
): ConsumerDependencies {
  const { config } = options;
  const logger = options.logger ?? createLogger({ service: "consumer" });
  const metrics = options.metrics ?? createEmfMetrics({ service: "consumer" });
  const aws = options.aws ?? {};
  const ownSqs = options.sqs === undefined;
  const sqs =
    options.sqs ??
    createSqsClientAtFirstUse({
      region: aws.region,
      endpoint: aws.sqsEndpoint,
      credentials: aws.credentials,
    });
  const dynamodb = createDynamoDbClient({
    region: aws.region,
    endpoint: aws.dynamodbEndpoint,
    credentials: aws.credentials,
  });
  const breakerStore = new BreakerStore({ client: dynamodb, tableName: config.ledgerTable });
  const breakerOf = (platform: PlatformName) =>
    new PlatformBreaker({
      platform,
      store: breakerStore,
      settings: {
        failureThreshold: config.outage.breakerFailures,
        probeIntervalMs: config.outage.probeIntervalSeconds * 1000,
      },
      logger,
      now: options.now,
    });
  // A dry run writes nothing, the breakers' items included.
  const breakers = config.dryRun
    ? undefined
    : { "account-platform": breakerOf("account-platform"), osis: breakerOf("osis") };
  const onCall: OnPlatformCall = (call) =>
    metrics.duration(PLATFORM_LATENCY_METRIC, call.durationMs, {
      platform: call.platform,
      operation: call.operation,
    });

  const now = options.now ?? Date.now;
  const outcomeBus =
    config.outcomes &&
    createOutcomeBus(config.outcomes, {
      region: aws.region,
      endpoint: aws.eventBridgeEndpoint,
      credentials: aws.credentials,
    });
  return {
    config,
    sqs,
    metrics,
    logger,
    onOutcome: options.onOutcome,
    outcomePublisher:
      outcomeBus &&
      new OutcomePublisher({
        bus: outcomeBus,
        outbox: new OutcomeOutbox({ client: dynamodb, tableName: config.ledgerTable, now }),
        metrics,
        logger,
      }),
    writeGate:
      options.writeGate ??
      createOffboardingGuard({
        client: dynamodb,
        tableName: config.ledgerTable,
        settings: config.guard,
        logger,
        metrics,
        now: options.now,
      }),
    random: options.random,
    now: options.now,
    ledger: new DynamoDbLedger({ client: dynamodb, tableName: config.ledgerTable }),
    deadLetters: new DeadLetterRouter({ sqs, dlqUrl: config.dlqUrl }),
    breakers,
    employees:
      options.bamboohrApi === undefined
        ? undefined
        : new BambooHrClient({
            url: config.bamboohr.bamboohrApiUrl,
            credentials: options.bamboohrApi,
            timeoutMs: config.bamboohr.bamboohrApiTimeoutMs,
            secretName: config.bamboohr.bamboohrApiSecretId,
            // Like a platform read: retried, paced by BambooHR's 429s, behind a breaker.
            retries: 2,
            retryCapMs: 2_000,
            gates: config.dryRun ? [] : [breakerOf("bamboohr")],
            pace: new PlatformPace({ platform: "bamboohr", logger }),
            onCall,
            logger,
          }),
    ...createPlatformClients({
      breakers,
      accountPlatform: config.accountPlatform,
      osis: config.osis,
      credentials: options.credentials,
      timeoutMs: config.platformTimeoutMs,
      onCall,
      logger,
    }),
    settingsRecording: config.dryRun
      ? undefined
      : new SettingsRecording({
          write: () =>
            new GuardStore({ client: dynamodb, tableName: config.ledgerTable }).recordSettings(
              config.guard,
              now(),
            ),
          logger,
        }),
    close: () => {
      dynamodb.destroy();
      outcomeBus?.client.destroy();
      if (ownSqs) sqs.destroy();
    },
  };
}
