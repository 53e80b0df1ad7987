import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { createConsumerHandler } from "../functions/consumer/create-handler.ts";
import { SCIM_BASE_PATH } from "../shared/contract/webhook-routes.ts";
import {
  type LocalStackFile,
  writeLocalStackFile,
} from "../shared/operator/configuration/local-stack-file.ts";
import { type QueueDepth, queueDepth } from "../shared/operator/queues/queue-depth.ts";
import type { ConsumerConfig } from "../shared/runtime/consumer/consumer-config.ts";
import type { ConsumerDependencies } from "../shared/runtime/consumer/consumer-dependencies.ts";
import type { PersonLedger } from "../shared/runtime/ledger/person-ledger.ts";
import { describeError, type Logger } from "../shared/runtime/logging/logger.ts";
import type { BambooHrSetup } from "./bamboohr-setup.ts";
import { EventSourcePoller, type PollerStopResult } from "./event-source-poller.ts";
import type { IntervalScheduler } from "./interval-scheduler.ts";
import { LOCAL_REGION } from "./local-aws.ts";
import type { LocalOutcomeBus } from "./local-outcomes.ts";
import { LOCAL_LEDGER_TABLE, type LocalQueues } from "./local-queues-and-ledger.ts";
import type { LocalStackOptions } from "./local-stack-options.ts";
import type { LocalWebhook } from "./local-webhook.ts";
import type { PlatformSetup } from "./platform-setup.ts";
import type { DynamoDbServer } from "./stand-ins/dynamodb-server.ts";
import type { SqsServer } from "./stand-ins/sqs-server.ts";
import { waitUntilDrained } from "./wait-until-drained.ts";

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
  queues: LocalQueues;
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
