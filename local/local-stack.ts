import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { createConsumerHandler } from "../functions/consumer/create-handler.ts";
import { createSchedulerHandler } from "../functions/scheduler/create-handler.ts";
import { SOURCE_QUEUE } from "../shared/contract/source-queue.ts";
import { SCIM_BASE_PATH } from "../shared/contract/webhook-routes.ts";
import {
  LOCAL_STACK_FILE,
  type LocalStackFile,
  writeLocalStackFile,
} from "../shared/operator/configuration/local-stack-file.ts";
import { type QueueDepth, queueArn, queueDepth } from "../shared/operator/queues/queue-depth.ts";
import {
  createDynamoDbClient,
  createSqsClient,
  LOCAL_AWS_CREDENTIALS,
} from "../shared/runtime/aws/aws-clients.ts";
import {
  type ConsumerConfig,
  type Environment,
  loadConsumerConfig,
} from "../shared/runtime/consumer/consumer-config.ts";
import {
  type ConsumerDependencies,
  createConsumerDependencies,
} from "../shared/runtime/consumer/consumer-dependencies.ts";
import type { OnOutcome } from "../shared/runtime/consumer/outcome.ts";
import type {
  BambooHrApiCredentials,
  OsisCredentials,
} from "../shared/runtime/credentials/secret-shapes.ts";
import { StaticCredentialSource } from "../shared/runtime/credentials/static-credential-source.ts";
import { ConfigurationError } from "../shared/runtime/errors/configuration-error.ts";
import { createLedgerTable } from "../shared/runtime/ledger/create-ledger-table.ts";
import type { PersonLedger } from "../shared/runtime/ledger/person-ledger.ts";
import {
  createLogger,
  defaultLogFormat,
  describeError,
  type Logger,
} from "../shared/runtime/logging/logger.ts";
import { type Metrics, noMetrics } from "../shared/runtime/metrics/metrics.ts";
import { createSchedulerDependencies } from "../shared/runtime/schedule/scheduler-dependencies.ts";
import { type BambooHrSetup, chooseBambooHr, setUpBambooHr } from "./bamboohr-setup.ts";
import {
  EventSourcePoller,
  POLLER_DEFAULTS,
  type PollerStopResult,
} from "./event-source-poller.ts";
import { IntervalScheduler } from "./interval-scheduler.ts";
import {
  type LocalOutcomeBus,
  type LocalOutcomesOption,
  startLocalOutcomeBus,
} from "./local-outcomes.ts";
import { DEFAULT_LOCAL_PORTS, LOCAL_HOST, type LocalPorts } from "./local-ports.ts";
import { createLocalReconcile } from "./local-reconcile.ts";
import { createLocalScim } from "./local-scim.ts";
import { type LocalWebhook, startLocalWebhook } from "./local-webhook.ts";
import {
  choosePlatforms,
  type PlatformSetup,
  setUpPlatforms,
  stopPlatforms,
} from "./platform-setup.ts";
import { listenOn } from "./port-unavailable-error.ts";
import { type DynamoDbServer, startDynamoDbServer } from "./stand-ins/dynamodb-server.ts";
import { createLifecycleQueues } from "./stand-ins/lifecycle-queues.ts";
import { type SqsServer, startSqsServer } from "./stand-ins/sqs-server.ts";
import { waitUntilDrained } from "./wait-until-drained.ts";

/**
 * The whole pipeline in one process, on loopback: fauxqs (the FIFO queue and its DLQ),
 * dynalite (the ledger), the two platform simulators (or the real platforms), the webhook
 * function behind an HTTP adapter, and the consumer handler fed by an event-source poller.
 * The handlers are the deployed ones; only endpoints and the credential source differ.
 * `npm start` runs it through local/main.ts; tests and benchmarks embed it with
 * `startLocalStack({ ports: EPHEMERAL_PORTS, stackFile: false, env: {} })`.
 */
export interface LocalStackOptions {
  /** Default: the documented fixed ports (DEFAULT_LOCAL_PORTS); 0 = a free port. */
  ports?: Partial<LocalPorts>;
  /** Keeps the ledger on disk in this directory (queues are always in memory). */
  dataDir?: string | undefined;
  /**
   * Where the real-platform variables and the consumer's tuning variables are read
   * (CONSUMER_*, PROTECTED_ACCOUNTS, DRY_RUN). Default: process.env.
   */
  env?: Environment;
  consumer?: {
    /** Concurrent pollers (Lambda's maximum concurrency). Default 10. */
    concurrency?: number | undefined;
    /** The consumer function's timeout. Default 60 s, as deployed. */
    functionTimeoutMs?: number | undefined;
    /** Long-poll wait, 0 to 20 s. Default 20. */
    waitTimeSeconds?: number | undefined;
    batchSize?: number | undefined;
    /** How long a stop waits for running invocations. Default 5 s. */
    stopGraceMs?: number | undefined;
  };
  /** Seed the demo people into the simulators. Default true. */
  seedDemoPeople?: boolean;
  /** Where to write the stack file; false = do not write it. Default `.lifecycle/local.json`. */
  stackFile?: string | false;
  logger?: Logger;
  /** Default: none (EMF lines would only clutter a terminal). */
  metrics?: Metrics;
  /** Told of every record's outcome. */
  onOutcome?: OnOutcome;
  /** Backoff jitter of the consumer (fixed in reproducible runs). */
  random?: () => number;
  /** Start the poller at once. Default true. */
  startPolling?: boolean;
  /** The scheduler of due changes: its interval (default 2 s) and whether it starts at once (default true). */
  scheduler?: { intervalMs?: number | undefined; start?: boolean | undefined };
  /**
   * Run the scheduled reconciliation on the stack's clock (local-reconcile.ts). Default false:
   * its platform reads would add to what tests and benchmarks count; `npm start` turns it on.
   */
  reconcile?: boolean;
  /**
   * The outcome bus (the EventBridge stand-in, docs/outcomes.md): its events' file, or false
   * for publishing off. Default on, into `.lifecycle/outcomes.ndjson` beside the stack file
   * (with `stackFile: false`, kept in memory only: `stack.outcomeBus.server.events`).
   */
  outcomes?: LocalOutcomesOption;
}

/** How often the local scheduler runs: a change falls due on the local stack within seconds. */
export const LOCAL_SCHEDULER_INTERVAL_MS = 2_000;

export const LOCAL_REGION = "us-east-1";
export const LOCAL_LEDGER_TABLE = "lifecycle-ledger";
/** The deployed queue's visibility timeout is six times the consumer's timeout (AWS advice). */
const VISIBILITY_PER_TIMEOUT = 6;

export interface LocalStackEndpoints {
  sqs: string;
  dynamodb: string;
  /** The webhook API's base URL (POST /events, POST /bamboohr). */
  webhook: string;
  /** The SCIM endpoint's base URL, on the webhook API (`/scim/v2`). */
  scim: string;
  accountPlatform: string;
  /** OSIS origin; the base path is `platforms.osis.basePath`. */
  osis: string;
  /** BambooHR's API (the simulator, or the real one): what the webhook reads employees from. */
  bamboohr: string;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const env = options.env ?? process.env;
  const ports = { ...DEFAULT_LOCAL_PORTS, ...options.ports };
  const logger = options.logger ?? createLogger({ format: defaultLogFormat() });
  const functionTimeoutMs =
    options.consumer?.functionTimeoutMs ?? POLLER_DEFAULTS.functionTimeoutMs;
  const choice = choosePlatforms(env);
  const bamboohrChoice = chooseBambooHr(env);

  // Each part registers how it stops as soon as it runs; the stack's stop, or a failed start,
  // stops them all in reverse order.
  const teardown = new AsyncDisposableStack();
  const own = <T extends { stop(): Promise<void> }>(part: T): T =>
    teardown.adopt(part, () => part.stop());
  try {
    const ledgerPath = options.dataDir ? join(options.dataDir, "ledger") : undefined;
    if (ledgerPath) await mkdir(ledgerPath, { recursive: true });
    const seedDemoPeople = options.seedDemoPeople ?? true;
    const [sqsStarted, dynamoDbStarted, platformsStarted, bamboohrStarted] =
      await Promise.allSettled([
        listenOn("sqs", ports.sqs, () =>
          startSqsServer({ port: ports.sqs, host: LOCAL_HOST }),
        ).then(own),
        listenOn("dynamodb", ports.dynamodb, () =>
          startDynamoDbServer({ port: ports.dynamodb, host: LOCAL_HOST, path: ledgerPath }),
        ).then(own),
        setUpPlatforms(choice, ports, { seedDemoPeople }).then((platforms) =>
          teardown.adopt(platforms, stopPlatforms),
        ),
        setUpBambooHr(bamboohrChoice, ports.bamboohr, { seedDemoPeople }).then((bamboohr) =>
          teardown.adopt(bamboohr, async () => bamboohr.simulator?.stop()),
        ),
      ]);
    // The first failure in start order: with every port taken, the message names the first.
    if (sqsStarted.status === "rejected") throw sqsStarted.reason;
    if (dynamoDbStarted.status === "rejected") throw dynamoDbStarted.reason;
    if (platformsStarted.status === "rejected") throw platformsStarted.reason;
    if (bamboohrStarted.status === "rejected") throw bamboohrStarted.reason;
    const bamboohr = bamboohrStarted.value;
    const sqsServer = sqsStarted.value;
    const dynamoDbServer = dynamoDbStarted.value;
    const platforms = platformsStarted.value;
    const outcomeBus = await listenOn("eventBridge", ports.eventBridge, () =>
      startLocalOutcomeBus({
        outcomes:
          options.outcomes ??
          (options.stackFile === false
            ? {}
            : { file: join(dirname(options.stackFile ?? LOCAL_STACK_FILE), "outcomes.ndjson") }),
        port: ports.eventBridge,
        host: LOCAL_HOST,
        region: LOCAL_REGION,
        keepFile: options.dataDir !== undefined,
      }),
    );
    if (outcomeBus) teardown.adopt(outcomeBus.server, (server) => server.stop());

    const aws = { region: LOCAL_REGION, credentials: LOCAL_AWS_CREDENTIALS };
    const destroyed = <T extends { destroy(): void }>(client: T): T =>
      teardown.adopt(client, () => client.destroy());
    const sqs = destroyed(createSqsClient({ ...aws, endpoint: sqsServer.endpoint }));
    const dynamodb = destroyed(createDynamoDbClient({ ...aws, endpoint: dynamoDbServer.endpoint }));

    const queues = await createLifecycleQueues(sqs, {
      visibilityTimeoutSeconds: Math.ceil(functionTimeoutMs / 1000) * VISIBILITY_PER_TIMEOUT,
      maxReceiveCount: SOURCE_QUEUE.maxReceiveCount,
    });
    await createLedgerTable(dynamodb, LOCAL_LEDGER_TABLE);
    const wiring = {
      QUEUE_URL: queues.queueUrl,
      DLQ_URL: queues.dlqUrl,
      LEDGER_TABLE: LOCAL_LEDGER_TABLE,
      ACCOUNT_PLATFORM_URL: platforms.accountPlatform.url,
      ACCOUNT_PLATFORM_TENANT_ID: platforms.accountPlatform.tenantId,
      OSIS_URL: platforms.osis.url,
      OSIS_BASE_PATH: platforms.osis.basePath,
      OSIS_CD_TENANT_ID: platforms.osis.cdTenantId,
      BAMBOOHR_API_URL: bamboohr.url,
      ...outcomeBus?.wiring,
    };
    // The caller's tuning (CONSUMER_*, PROTECTED_ACCOUNTS, DRY_RUN), then the stack's wiring.
    const config = loadConsumerConfig({ ...env, ...wiring });
    if (functionTimeoutMs <= config.deadlineMarginMs) {
      throw new ConfigurationError("The local consumer's settings are not usable", [
        `the consumer's function timeout (${functionTimeoutMs} ms) must be above CONSUMER_DEADLINE_MARGIN_MS (${config.deadlineMarginMs} ms)`,
      ]);
    }
    const consumer = teardown.adopt(
      createConsumerDependencies({
        config,
        credentials: {
          accountPlatform: new StaticCredentialSource(platforms.accountPlatform.credentials),
          osis: new StaticCredentialSource<OsisCredentials>(platforms.osis.credentials),
        },
        aws: {
          ...aws,
          dynamodbEndpoint: dynamoDbServer.endpoint,
          eventBridgeEndpoint: outcomeBus?.server.endpoint,
        },
        sqs,
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
          queueUrl: queues.queueUrl,
          ledgerTable: LOCAL_LEDGER_TABLE,
          outcomes: config.outcomes,
        },
        aws: {
          ...aws,
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
        credentials: {
          accountPlatform: new StaticCredentialSource(platforms.accountPlatform.credentials),
          osis: new StaticCredentialSource<OsisCredentials>(platforms.osis.credentials),
        },
        aws: { ...aws, dynamodbEndpoint: dynamoDbServer.endpoint },
        region: LOCAL_REGION,
        logger: logger.child({ service: "reconcile" }),
        metrics: options.metrics ?? noMetrics,
      }),
      (parts) => parts.stop(),
    );

    const scim = teardown.adopt(
      createLocalScim({
        env: { ...env, ...wiring },
        credentials: {
          accountPlatform: new StaticCredentialSource(platforms.accountPlatform.credentials),
          osis: new StaticCredentialSource<OsisCredentials>(platforms.osis.credentials),
        },
        aws: { ...aws, sqsEndpoint: sqsServer.endpoint, dynamodbEndpoint: dynamoDbServer.endpoint },
        logger: logger.child({ service: "scim" }),
        metrics: options.metrics,
      }),
      (parts) => parts.close(),
    );

    const webhook = own(
      await listenOn("webhook", ports.webhook, () =>
        startLocalWebhook({
          port: ports.webhook,
          host: LOCAL_HOST,
          region: LOCAL_REGION,
          queueUrl: queues.queueUrl,
          sqsEndpoint: sqsServer.endpoint,
          dynamodbEndpoint: dynamoDbServer.endpoint,
          ledgerTable: LOCAL_LEDGER_TABLE,
          bamboohr,
          logger: logger.child({ service: "webhook" }),
          env,
          metrics: options.metrics,
          proxies: [scim.proxy],
        }),
      ),
    );

    const stack = new LocalStack({
      options,
      logger,
      functionTimeoutMs,
      sqsServer,
      dynamoDbServer,
      platforms,
      bamboohr,
      webhook,
      scimToken: scim.token,
      outcomeBus,
      sqs,
      dynamodb,
      queues: { ...queues, queueArn: await queueArn(sqs, queues.queueUrl) },
      wiring,
      config,
      consumer,
      scheduler: new IntervalScheduler({
        handler: createSchedulerHandler(scheduler),
        intervalMs: options.scheduler?.intervalMs ?? LOCAL_SCHEDULER_INTERVAL_MS,
        region: LOCAL_REGION,
        logger: logger.child({ service: "scheduler" }),
      }),
      teardown,
    });
    if (options.stackFile !== false) {
      await stack.writeStackFile(options.stackFile ?? LOCAL_STACK_FILE);
    }
    if (options.startPolling ?? true) stack.startPolling();
    if (options.scheduler?.start ?? true) stack.scheduler.start();
    if (options.reconcile === true) reconcile.start();
    return stack;
  } catch (error) {
    // The start's own failure is the one to report, not a part that would not stop.
    await teardown.disposeAsync().catch(() => {});
    throw error;
  }
}

interface LocalStackParts {
  options: LocalStackOptions;
  logger: Logger;
  functionTimeoutMs: number;
  sqsServer: SqsServer;
  dynamoDbServer: DynamoDbServer;
  platforms: PlatformSetup;
  bamboohr: BambooHrSetup;
  webhook: LocalWebhook;
  scimToken: string;
  outcomeBus: LocalOutcomeBus | undefined;
  sqs: SQSClient;
  dynamodb: DynamoDBClient;
  queues: { queueUrl: string; dlqUrl: string; queueArn: string };
  wiring: Record<string, string>;
  config: ConsumerConfig;
  consumer: ConsumerDependencies;
  scheduler: IntervalScheduler;
  /** Stops every part, in reverse start order. */
  teardown: AsyncDisposableStack;
}

/** The running local stack: its endpoints, clients on them, and the consumer's poller. */
export class LocalStack {
  readonly region = LOCAL_REGION;
  readonly endpoints: LocalStackEndpoints;
  readonly queueUrl: string;
  readonly dlqUrl: string;
  readonly queueArn: string;
  readonly ledgerTable = LOCAL_LEDGER_TABLE;
  /** The webhook signing secret of this run (Standard Webhooks, `whsec_…`). */
  readonly webhookSecret: string;
  /** The SCIM bearer token of this run. */
  readonly scimToken: string;
  /** What the stack set for the consumer: the deployed function's variable names. */
  readonly consumerEnvironment: Readonly<Record<string, string>>;
  readonly config: ConsumerConfig;
  /** The platforms in use; `simulator` is set for a simulated one. */
  readonly platforms: PlatformSetup;
  /** BambooHR's API; `simulator` is set when simulated. */
  readonly bamboohr: BambooHrSetup;
  /** The EventBridge stand-in outcomes are published to; undefined: publishing is off. */
  readonly outcomeBus: LocalOutcomeBus | undefined;
  /** Clients on the stand-ins, for whoever embeds the stack (tests, the demo). */
  readonly sqs: SQSClient;
  readonly dynamodb: DynamoDBClient;
  /** The consumer's own ledger. */
  readonly ledger: PersonLedger;
  /** The consumer's dependencies, as its handler uses them. */
  readonly consumer: ConsumerDependencies;
  /** The scheduler function on an interval (start, stop, or run it once). */
  readonly scheduler: IntervalScheduler;
  /** Where the stack file was written, if it was. */
  stackFilePath: string | undefined;
  readonly #parts: LocalStackParts;
  readonly #handler: ReturnType<typeof createConsumerHandler>;
  #poller: EventSourcePoller | undefined;
  #stopping: Promise<void> | undefined;

  constructor(parts: LocalStackParts) {
    this.#parts = parts;
    this.queueUrl = parts.queues.queueUrl;
    this.dlqUrl = parts.queues.dlqUrl;
    this.queueArn = parts.queues.queueArn;
    this.webhookSecret = parts.webhook.secret;
    this.scimToken = parts.scimToken;
    this.consumerEnvironment = parts.wiring;
    this.config = parts.config;
    this.platforms = parts.platforms;
    this.bamboohr = parts.bamboohr;
    this.outcomeBus = parts.outcomeBus;
    this.sqs = parts.sqs;
    this.dynamodb = parts.dynamodb;
    this.consumer = parts.consumer;
    this.scheduler = parts.scheduler;
    this.ledger = parts.consumer.ledger;
    this.endpoints = {
      sqs: parts.sqsServer.endpoint,
      dynamodb: parts.dynamoDbServer.endpoint,
      webhook: parts.webhook.url,
      scim: `${parts.webhook.url}${SCIM_BASE_PATH}`,
      accountPlatform: parts.platforms.accountPlatform.url,
      osis: parts.platforms.osis.url,
      bamboohr: parts.bamboohr.url,
    };
    this.#handler = createConsumerHandler(parts.consumer);
  }

  /** The poller now running, if any (a stop ends it; startPolling makes a new one). */
  get poller(): EventSourcePoller | undefined {
    return this.#poller;
  }

  /** Consumer invocations running now. */
  get invocationsRunning(): number {
    return this.#poller?.batchesInFlight ?? 0;
  }

  startPolling(): EventSourcePoller {
    if (this.#stopping) throw new Error("the local stack is stopping");
    if (this.#poller) throw new Error("the consumer is already polling");
    const consumer = this.#parts.options.consumer ?? {};
    const poller = new EventSourcePoller({
      sqs: this.sqs,
      queueUrl: this.queueUrl,
      queueArn: this.queueArn,
      region: this.region,
      handler: (event, context) => this.#handler(event, context),
      logger: this.#parts.logger.child({ service: "event-source" }),
      concurrency: consumer.concurrency,
      batchSize: consumer.batchSize,
      waitTimeSeconds: consumer.waitTimeSeconds,
      functionTimeoutMs: this.#parts.functionTimeoutMs,
      stopGraceMs: consumer.stopGraceMs,
    });
    poller.start();
    this.#poller = poller;
    return poller;
  }

  /** Aborts the long polls; running invocations get up to the stop grace to end. */
  async stopPolling(): Promise<PollerStopResult> {
    const poller = this.#poller;
    if (!poller) return { finished: true, abandonedBatches: 0 };
    this.#poller = undefined;
    return poller.stop();
  }

  queueDepth(): Promise<QueueDepth> {
    return queueDepth(this.sqs, this.queueUrl);
  }

  dlqDepth(): Promise<QueueDepth> {
    return queueDepth(this.sqs, this.dlqUrl);
  }

  /** Until the source queue is empty and no invocation runs (see queue-depth.ts). */
  waitUntilDrained(options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<void> {
    return waitUntilDrained({
      sqs: this.sqs,
      queueUrl: this.queueUrl,
      invocationsRunning: () => this.invocationsRunning,
      ...options,
    });
  }

  /** `.lifecycle/local.json`: the keys docs/local.md lists, credentials only when simulated. */
  stackFileContents(): LocalStackFile {
    const { accountPlatform, osis } = this.platforms;
    const osisCredentials = osis.credentials;
    return {
      region: this.region,
      sqsEndpoint: this.endpoints.sqs,
      dynamodbEndpoint: this.endpoints.dynamodb,
      queueUrl: this.queueUrl,
      dlqUrl: this.dlqUrl,
      ledgerTable: this.ledgerTable,
      webhookUrl: this.endpoints.webhook,
      webhookSecret: this.webhookSecret,
      scimUrl: this.endpoints.scim,
      scimToken: this.scimToken,
      ...(this.outcomeBus && {
        eventBridgeEndpoint: this.outcomeBus.server.endpoint,
        outcomeBusName: this.outcomeBus.wiring.OUTCOME_BUS_NAME,
        outcomesFile: this.outcomeBus.file,
      }),
      accountPlatform: {
        url: accountPlatform.url,
        tenantId: accountPlatform.tenantId,
        simulated: accountPlatform.simulated,
        ...(accountPlatform.simulated ? accountPlatform.credentials : {}),
      },
      osis: {
        url: osis.url,
        basePath: osis.basePath,
        cdTenantId: osis.cdTenantId,
        simulated: osis.simulated,
        ...(osis.simulated && "username" in osisCredentials
          ? { username: osisCredentials.username, password: osisCredentials.password }
          : {}),
      },
    };
  }

  async writeStackFile(path: string): Promise<void> {
    await writeLocalStackFile(this.stackFileContents(), path);
    this.stackFilePath = path;
  }

  /**
   * Stops polling (running invocations get the stop grace), then every server. The stack file
   * is left in place: the next start overwrites it, and the CLI says when nothing answers.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    await this.scheduler.stop();
    await this.stopPolling();
    await this.#parts.teardown.disposeAsync().catch((error: unknown) => {
      this.#parts.logger.warn("A part of the local stack did not stop cleanly", {
        error: describeError(error),
      });
    });
  }
}
