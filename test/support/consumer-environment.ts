import { randomBytes, randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SendMessageCommandInput,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { SQSBatchResponse } from "aws-lambda";
import { createConsumerHandler } from "../../functions/consumer/create-handler.ts";
import { toSqsEvent } from "../../local/lambda/sqs-event.ts";
import { AccountPlatformSimulator } from "../../local/simulators/account-platform/account-platform-simulator.ts";
import { OsisSimulator } from "../../local/simulators/osis/osis-simulator.ts";
import { type DynamoDbServer, startDynamoDbServer } from "../../local/stand-ins/dynamodb-server.ts";
import { createLifecycleQueues } from "../../local/stand-ins/lifecycle-queues.ts";
import { type SqsServer, startSqsServer } from "../../local/stand-ins/sqs-server.ts";
import {
  createDynamoDbClient,
  createSqsClient,
  LOCAL_AWS_CREDENTIALS,
} from "../../shared/runtime/aws/aws-clients.ts";
import {
  type ConsumerConfig,
  loadConsumerConfig,
} from "../../shared/runtime/consumer/consumer-config.ts";
import {
  type ConsumerDependencies,
  createConsumerDependencies,
} from "../../shared/runtime/consumer/consumer-dependencies.ts";
import type { RecordOutcome } from "../../shared/runtime/consumer/outcome.ts";
import type { CredentialSource } from "../../shared/runtime/credentials/credential-source.ts";
import type {
  AccountPlatformCredentials,
  BambooHrApiCredentials,
  OsisCredentials,
} from "../../shared/runtime/credentials/secret-shapes.ts";
import { StaticCredentialSource } from "../../shared/runtime/credentials/static-credential-source.ts";
import type { QueuedMessage } from "../../shared/runtime/events/bamboohr-signal.ts";
import { sourceDeduplicationId } from "../../shared/runtime/events/deduplication-id.ts";
import type { LifecycleEvent } from "../../shared/runtime/events/lifecycle-event.ts";
import type { PlatformWriteGate } from "../../shared/runtime/guard/write-gate.ts";
import { createLedgerTable } from "../../shared/runtime/ledger/create-ledger-table.ts";
import { DynamoDbLedger } from "../../shared/runtime/ledger/dynamodb-ledger.ts";
import { captureLogs, captureMetrics } from "./captured-logs.ts";
import { lambdaContext } from "./lambda.ts";
import { sqsAttributeProblems } from "./sqs-attribute-rules.ts";

export const TENANT_ID = "tenant-main";
export const OTHER_TENANT_ID = "tenant-other";
export const CD_TENANT_ID = "cd-main";
export const LEDGER_TABLE = "lifecycle-ledger";

/** Small settings so retries take about a second, not minutes. */
export const FAST_TUNING: Record<string, string> = {
  CONSUMER_BACKOFF_BASE_SECONDS: "1",
  CONSUMER_BACKOFF_CAP_SECONDS: "2",
  CONSUMER_MAX_ATTEMPTS: "3",
  CONSUMER_PLATFORM_TIMEOUT_MS: "1000",
  CONSUMER_DEADLINE_MARGIN_MS: "2000",
};

/**
 * Every server the consumer talks to, real and on loopback: fauxqs (SQS), dynalite (the
 * ledger) and both platform simulators. Shared by the tests of a file; each test takes its own
 * queues (`scenario`) and its own people, so tests do not see each other's messages.
 */
export class ConsumerEnvironment {
  readonly sqsServer: SqsServer;
  readonly dynamoDbServer: DynamoDbServer;
  readonly accountPlatform: AccountPlatformSimulator;
  readonly osis: OsisSimulator;
  readonly sqs: SQSClient;
  readonly dynamodb: DynamoDBClient;
  readonly ledger: DynamoDbLedger;
  readonly accountPlatformCredentials: AccountPlatformCredentials;
  readonly osisCredentials: { username: string; password: string };

  constructor(parts: {
    sqsServer: SqsServer;
    dynamoDbServer: DynamoDbServer;
    accountPlatform: AccountPlatformSimulator;
    osis: OsisSimulator;
    accountPlatformCredentials: AccountPlatformCredentials;
    osisCredentials: { username: string; password: string };
  }) {
    this.sqsServer = parts.sqsServer;
    this.dynamoDbServer = parts.dynamoDbServer;
    this.accountPlatform = parts.accountPlatform;
    this.osis = parts.osis;
    this.accountPlatformCredentials = parts.accountPlatformCredentials;
    this.osisCredentials = parts.osisCredentials;
    this.sqs = createSqsClient({
      endpoint: parts.sqsServer.endpoint,
      credentials: LOCAL_AWS_CREDENTIALS,
    });
    this.dynamodb = createDynamoDbClient({
      endpoint: parts.dynamoDbServer.endpoint,
      credentials: LOCAL_AWS_CREDENTIALS,
    });
    this.ledger = new DynamoDbLedger({ client: this.dynamodb, tableName: LEDGER_TABLE });
  }

  /** The environment variables a consumer on these servers is configured with. */
  baseEnv(queues: { queueUrl: string; dlqUrl: string }): Record<string, string> {
    return {
      QUEUE_URL: queues.queueUrl,
      DLQ_URL: queues.dlqUrl,
      LEDGER_TABLE,
      ACCOUNT_PLATFORM_URL: this.accountPlatform.url,
      ACCOUNT_PLATFORM_TENANT_ID: TENANT_ID,
      OSIS_URL: this.osis.url,
      OSIS_BASE_PATH: this.osis.basePath,
      OSIS_CD_TENANT_ID: CD_TENANT_ID,
      ...FAST_TUNING,
    };
  }

  /** Fresh queues and a consumer on them. */
  async scenario(options: ScenarioOptions = {}): Promise<Scenario> {
    const name = `t-${randomUUID().slice(0, 8)}`;
    const queues = await createLifecycleQueues(this.sqs, {
      queueName: `${name}.fifo`,
      dlqName: `${name}-dlq.fifo`,
      visibilityTimeoutSeconds: 30,
      maxReceiveCount: 50,
    });
    const attributes = await this.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queues.queueUrl, AttributeNames: ["QueueArn"] }),
    );
    return new Scenario(this, {
      ...queues,
      queueArn:
        attributes.Attributes?.QueueArn ?? `arn:aws:sqs:us-east-1:000000000000:${name}.fifo`,
      options,
    });
  }

  async stop(): Promise<void> {
    this.sqs.destroy();
    this.dynamodb.destroy();
    await Promise.allSettled([
      this.accountPlatform.stop(),
      this.osis.stop(),
      this.sqsServer.stop(),
      this.dynamoDbServer.stop(),
    ]);
  }
}

export interface ScenarioOptions {
  /** Environment variables over the base ones (tuning, PROTECTED_ACCOUNTS, DRY_RUN, DLQ_URL). */
  env?: Record<string, string>;
  random?: () => number;
  writeGate?: PlatformWriteGate;
  /** The consumer's clock (epoch ms); default the real one. */
  now?: () => number;
  /** BambooHR's API key, for reading back BambooHR signals; default: none. */
  bamboohrApi?: CredentialSource<BambooHrApiCredentials | undefined>;
}

/** A visibility change the consumer asked of SQS. */
export interface VisibilityChange {
  receiptHandle: string;
  visibilityTimeout: number;
}

/**
 * One test's queues and consumer, with what it did: outcomes, log lines, metrics lines and
 * the visibility changes it sent to SQS (observed on the real client's middleware stack).
 */
export class Scenario {
  readonly environment: ConsumerEnvironment;
  readonly queueUrl: string;
  readonly dlqUrl: string;
  readonly queueArn: string;
  readonly config: ConsumerConfig;
  readonly env: Record<string, string>;
  readonly outcomes: RecordOutcome[] = [];
  readonly visibilityChanges: VisibilityChange[] = [];
  /** What SQS's attribute rules found in the consumer's sends (each one refused). */
  readonly refusedSends: string[] = [];
  readonly logs = captureLogs();
  readonly metrics = captureMetrics();
  readonly credentials: {
    accountPlatform: StaticCredentialSource<AccountPlatformCredentials>;
    osis: StaticCredentialSource<OsisCredentials>;
  };
  readonly dependencies: ConsumerDependencies;
  readonly handler: ReturnType<typeof createConsumerHandler>;
  readonly #consumerSqs: SQSClient;

  constructor(
    environment: ConsumerEnvironment,
    parts: { queueUrl: string; dlqUrl: string; queueArn: string; options: ScenarioOptions },
  ) {
    this.environment = environment;
    this.queueUrl = parts.queueUrl;
    this.dlqUrl = parts.dlqUrl;
    this.queueArn = parts.queueArn;
    this.env = { ...environment.baseEnv(parts), ...parts.options.env };
    this.config = loadConsumerConfig(this.env);
    this.credentials = {
      accountPlatform: new StaticCredentialSource(environment.accountPlatformCredentials),
      osis: new StaticCredentialSource<OsisCredentials>(environment.osisCredentials),
    };
    this.#consumerSqs = createSqsClient({
      endpoint: environment.sqsServer.endpoint,
      credentials: LOCAL_AWS_CREDENTIALS,
    });
    this.#consumerSqs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "ChangeMessageVisibilityBatchCommand") {
          const input = args.input as {
            Entries?: { ReceiptHandle?: string; VisibilityTimeout?: number }[];
          };
          for (const entry of input.Entries ?? []) {
            this.visibilityChanges.push({
              receiptHandle: entry.ReceiptHandle ?? "",
              visibilityTimeout: entry.VisibilityTimeout ?? -1,
            });
          }
        }
        return next(args);
      },
      { step: "initialize", name: "recordVisibilityChanges" },
    );
    // The local SQS stand-in checks only bodies: here SQS's attribute rules are applied where
    // the consumer sends, and a send they refuse fails as it would on SQS.
    this.#consumerSqs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "SendMessageCommand") {
          const input = args.input as SendMessageCommandInput;
          const problems = sqsAttributeProblems(input.MessageAttributes ?? {}, input.MessageBody);
          this.refusedSends.push(...problems);
          if (problems.length > 0) {
            throw Object.assign(new Error(`SQS refuses the message: ${problems.join("; ")}`), {
              name: "InvalidParameterValue",
            });
          }
        }
        return next(args);
      },
      { step: "initialize", name: "applySqsAttributeRules" },
    );
    this.dependencies = createConsumerDependencies({
      config: this.config,
      credentials: this.credentials,
      aws: {
        dynamodbEndpoint: environment.dynamoDbServer.endpoint,
        credentials: LOCAL_AWS_CREDENTIALS,
      },
      sqs: this.#consumerSqs,
      logger: this.logs.logger,
      metrics: this.metrics.metrics,
      onOutcome: (outcome) => this.outcomes.push(outcome),
      random: parts.options.random ?? (() => 0.5),
      writeGate: parts.options.writeGate,
      now: parts.options.now,
      bamboohrApi: parts.options.bamboohrApi,
    });
    this.handler = createConsumerHandler(this.dependencies);
  }

  /** Sends an event (or a raw body) as a producer would: group = subject, dedup = event key. */
  async send(
    event: QueuedMessage | string,
    options: {
      groupId?: string;
      deduplicationId?: string;
      attributes?: Record<string, string>;
    } = {},
  ): Promise<string> {
    const body = typeof event === "string" ? event : JSON.stringify(event);
    const output = await this.environment.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: body,
        MessageGroupId: options.groupId ?? (typeof event === "string" ? "raw" : event.subject),
        MessageDeduplicationId:
          options.deduplicationId ??
          (typeof event === "string" ? randomUUID() : sourceDeduplicationId(event)),
        ...(options.attributes
          ? {
              MessageAttributes: Object.fromEntries(
                Object.entries(options.attributes).map(([name, value]) => [
                  name,
                  { DataType: "String", StringValue: value },
                ]),
              ),
            }
          : {}),
      }),
    );
    return output.MessageId ?? "";
  }

  async receive(options: { max?: number; waitSeconds?: number } = {}): Promise<Message[]> {
    const output = await this.environment.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: options.max ?? 10,
        WaitTimeSeconds: options.waitSeconds ?? 0,
        MessageSystemAttributeNames: ["All"],
        MessageAttributeNames: ["All"],
      }),
    );
    return output.Messages ?? [];
  }

  /**
   * What Lambda's event source mapping does with one batch: invoke the handler, then delete
   * the records it did not report failed (failures stay for SQS to deliver again).
   */
  async invoke(
    messages: readonly Message[],
    options: {
      remainingMs?: number;
      handler?: Scenario["handler"];
      /** Message id → the group the handler is told (see `sendSpread`). */
      groups?: Readonly<Record<string, string>>;
    } = {},
  ): Promise<SQSBatchResponse> {
    const handler = options.handler ?? this.handler;
    const event = toSqsEvent(messages, { arn: this.queueArn, region: "us-east-1" });
    for (const record of event.Records) {
      const group = options.groups?.[record.messageId];
      if (group !== undefined) record.attributes.MessageGroupId = group;
    }
    const response = await handler(event, lambdaContext(options.remainingMs ?? 30_000));
    const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    const done = messages.filter((m) => !failed.has(m.MessageId ?? ""));
    if (done.length > 0) {
      await this.environment.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: done.map((m, index) => ({
            Id: String(index),
            ReceiptHandle: m.ReceiptHandle ?? "",
          })),
        }),
      );
    }
    return response;
  }

  /**
   * fauxqs hands out at most one message of a group per ReceiveMessage, where SQS (and so
   * Lambda) gives several. To put several records of one group in one batch, a test sends
   * each under a group of its own (`sendSpread`), collects them (`receiveInOrder`) and invokes
   * the handler with them as one group (`invoke(..., { groups })`), in send order, the way
   * SQS would deliver that group. Redelivery is then the test's to order likewise.
   */
  async sendSpread(events: readonly LifecycleEvent[]): Promise<string[]> {
    const ids: string[] = [];
    for (const event of events) {
      ids.push(await this.send(event, { groupId: `spread-${randomUUID()}` }));
    }
    return ids;
  }

  /** Receives until every one of `messageIds` is in hand; returns them in that order. */
  async receiveInOrder(messageIds: readonly string[]): Promise<Message[]> {
    const found = new Map<string, Message>();
    for (let round = 0; round < 20 && found.size < messageIds.length; round += 1) {
      for (const message of await this.receive({ waitSeconds: 1 })) {
        found.set(message.MessageId ?? "", message);
      }
    }
    const ordered = messageIds.map((id) => found.get(id));
    if (ordered.some((message) => message === undefined) || found.size !== messageIds.length) {
      throw new Error(`expected exactly messages ${messageIds.join(", ")} to be delivered`);
    }
    return ordered as Message[];
  }

  /** The messages come back at once, as they would once their visibility timeout ran out. */
  async visibleAgain(messages: readonly Message[]): Promise<void> {
    for (const message of messages) {
      await this.environment.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: this.queueUrl,
          ReceiptHandle: message.ReceiptHandle ?? "",
          VisibilityTimeout: 0,
        }),
      );
    }
  }

  /** Receive one batch (waiting up to `waitSeconds`) and invoke the consumer on it. */
  async deliver(options: { max?: number; waitSeconds?: number; remainingMs?: number } = {}) {
    const messages = await this.receive({
      max: options.max,
      waitSeconds: options.waitSeconds ?? 1,
    });
    if (messages.length === 0) return { messages, response: { batchItemFailures: [] } };
    const response = await this.invoke(messages, { remainingMs: options.remainingMs });
    return { messages, response };
  }

  /**
   * Deliver until the queue holds nothing, visible or in flight (bounded). The depth is asked
   * first: a long poll of an empty queue would only wait its second out.
   */
  async drain(options: { maxRounds?: number } = {}): Promise<void> {
    for (let round = 0; (await this.queueDepth()) > 0; round += 1) {
      if (round === (options.maxRounds ?? 30)) throw new Error("the queue did not drain");
      await this.deliver({ waitSeconds: 1 });
    }
  }

  /** Messages in the source queue, visible or in flight. */
  async queueDepth(): Promise<number> {
    const output = await this.environment.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.queueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    return (
      Number(output.Attributes?.ApproximateNumberOfMessages ?? 0) +
      Number(output.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  }

  /** Everything in the DLQ, read and deleted. */
  async takeDeadLetters(): Promise<Message[]> {
    const all: Message[] = [];
    for (;;) {
      const output = await this.environment.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.dlqUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ["All"],
          MessageAttributeNames: ["All"],
        }),
      );
      const messages = output.Messages ?? [];
      if (messages.length === 0) return all;
      all.push(...messages);
      await this.environment.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.dlqUrl,
          Entries: messages.map((m, index) => ({
            Id: String(index),
            ReceiptHandle: m.ReceiptHandle ?? "",
          })),
        }),
      );
    }
  }

  outcomesOf(subject: string): RecordOutcome[] {
    return this.outcomes.filter((o) => o.subject === subject);
  }

  close(): void {
    this.dependencies.close();
    this.#consumerSqs.destroy();
  }
}

export async function startConsumerEnvironment(): Promise<ConsumerEnvironment> {
  const accountPlatformCredentials = {
    clientId: `client-${randomBytes(4).toString("hex")}`,
    clientSecret: `secret-${randomBytes(16).toString("hex")}`,
  };
  const osisCredentials = {
    username: "osis-consumer",
    password: `pw-${randomBytes(16).toString("hex")}`,
  };
  const [sqsServer, dynamoDbServer, accountPlatform, osis] = await Promise.all([
    startSqsServer(),
    startDynamoDbServer(),
    AccountPlatformSimulator.start({ clients: [accountPlatformCredentials] }),
    OsisSimulator.start({ basic: [osisCredentials] }),
  ]);
  const environment = new ConsumerEnvironment({
    sqsServer,
    dynamoDbServer,
    accountPlatform,
    osis,
    accountPlatformCredentials,
    osisCredentials,
  });
  await createLedgerTable(environment.dynamodb, LEDGER_TABLE);
  return environment;
}
