import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { onTestFinished } from "vitest";
import {
  type DynamoDbServer,
  startDynamoDbServer,
} from "../../../local/stand-ins/dynamodb-server.ts";
import { createLifecycleQueues } from "../../../local/stand-ins/lifecycle-queues.ts";
import { type SqsServer, startSqsServer } from "../../../local/stand-ins/sqs-server.ts";
import {
  LOCAL_STACK_FILE,
  type LocalStackFile,
  writeLocalStackFile,
} from "../../../shared/operator/configuration/local-stack-file.ts";
import {
  createDynamoDbClient,
  createSqsClient,
  LOCAL_AWS_CREDENTIALS,
} from "../../../shared/runtime/aws/aws-clients.ts";
import {
  buildDeadLetterMessage,
  type DeadLetter,
} from "../../../shared/runtime/dlq/dead-letter-message.ts";
import { createLedgerTable } from "../../../shared/runtime/ledger/create-ledger-table.ts";
import { DynamoDbLedger } from "../../../shared/runtime/ledger/dynamodb-ledger.ts";
import {
  CD_TENANT_ID,
  type ConsumerEnvironment,
  TENANT_ID,
} from "../../support/consumer-environment.ts";
import { type CliResult, type RunOptions, runCli } from "./run-cli.ts";

export { type CliResult, type RunOptions, runCli };

export const LEDGER_TABLE = "cli-ledger";

/**
 * A fresh working directory holding `.lifecycle/local.json` as a running local stack writes
 * it, naming the given servers, queues and table. Remove it after use.
 */
export async function localStackDirectory(
  stack: Pick<
    LocalStackFile,
    "sqsEndpoint" | "dynamodbEndpoint" | "queueUrl" | "dlqUrl" | "ledgerTable"
  > &
    Partial<LocalStackFile>,
): Promise<string> {
  const cwd = await mkdtemp(join(tmpdir(), "lifecycle-cli-"));
  await writeLocalStackFile(
    {
      region: "us-east-1",
      webhookUrl: "http://127.0.0.1:1/events",
      webhookSecret: "whsec_test",
      accountPlatform: { url: "http://127.0.0.1:1", tenantId: "t", simulated: true },
      osis: { url: "http://127.0.0.1:1", basePath: "/api/v1", cdTenantId: "cd", simulated: true },
      ...stack,
    },
    join(cwd, LOCAL_STACK_FILE),
  );
  return cwd;
}

/**
 * The working directory of a local stack on a consumer test environment: the scenario's queues,
 * the given ledger table, and both simulators with their credentials (for reconcile and plan).
 * Made inside a test, it is removed when the test ends.
 */
export async function consumerStackDirectory(
  environment: ConsumerEnvironment,
  queues: { queueUrl: string; dlqUrl: string },
  ledgerTable: string,
): Promise<string> {
  const cwd = await localStackDirectory({
    sqsEndpoint: environment.sqsServer.endpoint,
    dynamodbEndpoint: environment.dynamoDbServer.endpoint,
    queueUrl: queues.queueUrl,
    dlqUrl: queues.dlqUrl,
    ledgerTable,
    accountPlatform: {
      url: environment.accountPlatform.url,
      tenantId: TENANT_ID,
      simulated: true,
      ...environment.accountPlatformCredentials,
    },
    osis: {
      url: environment.osis.url,
      basePath: environment.osis.basePath,
      cdTenantId: CD_TENANT_ID,
      simulated: true,
      ...environment.osisCredentials,
    },
  });
  onTestFinished(() => rm(cwd, { recursive: true, force: true }));
  return cwd;
}

/**
 * Real fauxqs and dynalite on loopback, the ledger table, and a working directory per test
 * holding a `.lifecycle/local.json` that points at them (as the local stack writes it).
 */
export class CliStack {
  readonly sqsServer: SqsServer;
  readonly dynamoDbServer: DynamoDbServer;
  readonly sqs: SQSClient;
  readonly dynamodb: DynamoDBClient;
  readonly ledger: DynamoDbLedger;
  readonly #dirs: string[] = [];

  private constructor(sqsServer: SqsServer, dynamoDbServer: DynamoDbServer) {
    this.sqsServer = sqsServer;
    this.dynamoDbServer = dynamoDbServer;
    this.sqs = createSqsClient({
      endpoint: sqsServer.endpoint,
      credentials: LOCAL_AWS_CREDENTIALS,
    });
    this.dynamodb = createDynamoDbClient({
      endpoint: dynamoDbServer.endpoint,
      credentials: LOCAL_AWS_CREDENTIALS,
    });
    this.ledger = new DynamoDbLedger({ client: this.dynamodb, tableName: LEDGER_TABLE });
  }

  static async start(): Promise<CliStack> {
    const [sqsServer, dynamoDbServer] = await Promise.all([
      startSqsServer(),
      startDynamoDbServer(),
    ]);
    const stack = new CliStack(sqsServer, dynamoDbServer);
    await createLedgerTable(stack.dynamodb, LEDGER_TABLE);
    return stack;
  }

  /** Fresh queues and a working directory whose local.json names them. */
  async workspace(
    queues?: { queueUrl: string; dlqUrl: string },
    overrides: Partial<LocalStackFile> = {},
  ): Promise<Workspace> {
    const name = `cli-${Math.random().toString(36).slice(2, 10)}`;
    const created =
      queues ??
      (await createLifecycleQueues(this.sqs, {
        queueName: `${name}.fifo`,
        dlqName: `${name}-dlq.fifo`,
        visibilityTimeoutSeconds: 30,
        maxReceiveCount: 50,
      }));
    const cwd = await localStackDirectory({
      sqsEndpoint: this.sqsServer.endpoint,
      dynamodbEndpoint: this.dynamoDbServer.endpoint,
      queueUrl: created.queueUrl,
      dlqUrl: created.dlqUrl,
      ledgerTable: LEDGER_TABLE,
      ...overrides,
    });
    this.#dirs.push(cwd);
    return new Workspace(this, cwd, created.queueUrl, created.dlqUrl);
  }

  async stop(): Promise<void> {
    this.sqs.destroy();
    this.dynamodb.destroy();
    await Promise.allSettled([this.sqsServer.stop(), this.dynamoDbServer.stop()]);
    await Promise.all(this.#dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
}

export class Workspace {
  readonly stack: CliStack;
  readonly cwd: string;
  readonly queueUrl: string;
  readonly dlqUrl: string;

  constructor(stack: CliStack, cwd: string, queueUrl: string, dlqUrl: string) {
    this.stack = stack;
    this.cwd = cwd;
    this.queueUrl = queueUrl;
    this.dlqUrl = dlqUrl;
  }

  run(argv: readonly string[], options?: RunOptions): Promise<CliResult> {
    return runCli(this.cwd, argv, options);
  }

  /** Puts a dead letter in the DLQ exactly as the consumer's router does. */
  async deadLetter(deadLetter: DeadLetter): Promise<string> {
    const output = await this.stack.sqs.send(
      new SendMessageCommand(buildDeadLetterMessage(this.dlqUrl, deadLetter)),
    );
    return output.MessageId ?? "";
  }

  /** Messages in a queue, visible or in flight. */
  async depth(queueUrl: string): Promise<number> {
    const output = await this.stack.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    return (
      Number(output.Attributes?.ApproximateNumberOfMessages ?? 0) +
      Number(output.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  }

  /** Visible messages only (what is not held by anyone). */
  async visible(queueUrl: string): Promise<number> {
    const output = await this.stack.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ["ApproximateNumberOfMessages"],
      }),
    );
    return Number(output.Attributes?.ApproximateNumberOfMessages ?? 0);
  }

  /** Receives (and keeps in flight for 30 s) up to 10 visible messages of a queue. */
  async receive(queueUrl: string) {
    const output = await this.stack.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 30,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["All"],
      }),
    );
    return output.Messages ?? [];
  }
}
