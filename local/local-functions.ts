import type { SQSClient } from "@aws-sdk/client-sqs";
import { createSchedulerHandler } from "../functions/scheduler/create-handler.ts";
import type { ConsumerConfig, Environment } from "../shared/runtime/consumer/consumer-config.ts";
import {
  type ConsumerDependencies,
  createConsumerDependencies,
} from "../shared/runtime/consumer/consumer-dependencies.ts";
import type { PlatformCredentialSources } from "../shared/runtime/credentials/platform-credential-sources.ts";
import type {
  BambooHrApiCredentials,
  OsisCredentials,
} from "../shared/runtime/credentials/secret-shapes.ts";
import { StaticCredentialSource } from "../shared/runtime/credentials/static-credential-source.ts";
import type { Logger } from "../shared/runtime/logging/logger.ts";
import { noMetrics } from "../shared/runtime/metrics/metrics.ts";
import { createSchedulerDependencies } from "../shared/runtime/schedule/scheduler-dependencies.ts";
import { IntervalScheduler } from "./interval-scheduler.ts";
import { LOCAL_AWS, LOCAL_REGION } from "./local-aws.ts";
import { LOCAL_LEDGER_TABLE } from "./local-queues-and-ledger.ts";
import { createLocalReconcile, type LocalReconcile } from "./local-reconcile.ts";
import { createLocalScim, type LocalScim } from "./local-scim.ts";
import type { LocalStackOptions } from "./local-stack-options.ts";
import type { LocalStandIns } from "./local-stand-ins.ts";
import type { PlatformSetup } from "./platform-setup.ts";

/** How often the local scheduler runs: a change falls due on the local stack within seconds. */
export const LOCAL_SCHEDULER_INTERVAL_MS = 2_000;

/** The deployed functions but the webhook, on the stand-ins: only the credential source differs. */
export interface LocalFunctions {
  consumer: ConsumerDependencies;
  /** The scheduler function on an interval, not yet started. */
  scheduler: IntervalScheduler;
  /** The scheduled reconciliation, not yet started. */
  reconcile: LocalReconcile;
  /** The SCIM function, served through the webhook's HTTP server. */
  scim: LocalScim;
}

/** Each function's dependencies register how they close on `teardown`. */
export function createLocalFunctions(
  options: Pick<LocalStackOptions, "metrics" | "onOutcome" | "random" | "scheduler">,
  stack: {
    env: Environment;
    queueUrl: string;
    wiring: Record<string, string>;
    config: ConsumerConfig;
    standIns: LocalStandIns;
    sqs: SQSClient;
    logger: Logger;
  },
  teardown: AsyncDisposableStack,
): LocalFunctions {
  const { env, wiring, config, logger } = stack;
  const { sqsServer, dynamoDbServer, platforms, bamboohr, outcomeBus } = stack.standIns;
  const consumer = teardown.adopt(
    createConsumerDependencies({
      config,
      credentials: platformCredentials(platforms),
      aws: {
        ...LOCAL_AWS,
        dynamodbEndpoint: dynamoDbServer.endpoint,
        eventBridgeEndpoint: outcomeBus?.server.endpoint,
      },
      sqs: stack.sqs,
      logger: logger.child({ service: "consumer" }),
      metrics: options.metrics ?? noMetrics,
      onOutcome: options.onOutcome,
      random: options.random,
      bamboohrApi: new StaticCredentialSource<BambooHrApiCredentials | undefined>(
        bamboohr.credentials,
      ),
    }),
    async (dependencies) => {
      await dependencies.settingsRecording?.settled();
      dependencies.close();
    },
  );

  const scheduler = teardown.adopt(
    createSchedulerDependencies({
      config: {
        queueUrl: stack.queueUrl,
        ledgerTable: LOCAL_LEDGER_TABLE,
        outcomes: config.outcomes,
      },
      aws: {
        ...LOCAL_AWS,
        sqsEndpoint: sqsServer.endpoint,
        dynamodbEndpoint: dynamoDbServer.endpoint,
        eventBridgeEndpoint: outcomeBus?.server.endpoint,
      },
      logger: logger.child({ service: "scheduler" }),
      metrics: options.metrics ?? noMetrics,
    }),
    (dependencies) => dependencies.close(),
  );

  const reconcile = teardown.adopt(
    createLocalReconcile({
      env,
      wiring,
      credentials: platformCredentials(platforms),
      aws: { ...LOCAL_AWS, dynamodbEndpoint: dynamoDbServer.endpoint },
      region: LOCAL_REGION,
      logger: logger.child({ service: "reconcile" }),
      metrics: options.metrics ?? noMetrics,
    }),
    (parts) => parts.stop(),
  );

  const scim = teardown.adopt(
    createLocalScim({
      env: { ...env, ...wiring },
      credentials: platformCredentials(platforms),
      aws: {
        ...LOCAL_AWS,
        sqsEndpoint: sqsServer.endpoint,
        dynamodbEndpoint: dynamoDbServer.endpoint,
      },
      logger: logger.child({ service: "scim" }),
      metrics: options.metrics,
    }),
    (parts) => parts.close(),
  );

  return {
    consumer,
    scheduler: new IntervalScheduler({
      handler: createSchedulerHandler(scheduler),
      intervalMs: options.scheduler?.intervalMs ?? LOCAL_SCHEDULER_INTERVAL_MS,
      region: LOCAL_REGION,
      logger: logger.child({ service: "scheduler" }),
    }),
    reconcile,
    scim,
  };
}

/** The platforms' credentials as the deployed functions read them, but given, not fetched. */
function platformCredentials(platforms: PlatformSetup): PlatformCredentialSources {
  return {
    accountPlatform: new StaticCredentialSource(platforms.accountPlatform.credentials),
    osis: new StaticCredentialSource<OsisCredentials>(platforms.osis.credentials),
  };
}
