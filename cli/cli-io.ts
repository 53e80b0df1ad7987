import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { SQSClient } from "@aws-sdk/client-sqs";
import {
  type AwsClientOptions,
  createCloudFormationClient,
  createCloudWatchLogsClient,
  createDynamoDbClient,
  createEventBridgeClient,
  createSecretsManagerClient,
  createSqsClient,
} from "../shared/runtime/aws/aws-clients.ts";

export type OutputStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
export type InputStream = NodeJS.ReadableStream & { isTTY?: boolean };

/** How AWS SDK clients are made; tests wrap the real ones (a failing middleware, a mock). */
export interface ClientFactories {
  sqs(options: AwsClientOptions): SQSClient;
  dynamodb(options: AwsClientOptions): DynamoDBClient;
  cloudFormation(options: AwsClientOptions): CloudFormationClient;
  secretsManager(options: AwsClientOptions): SecretsManagerClient;
  eventBridge(options: AwsClientOptions): EventBridgeClient;
  cloudWatchLogs(options: AwsClientOptions): CloudWatchLogsClient;
}

/**
 * Everything the command touches outside itself. `cli/main.ts` passes the process's; tests
 * pass their own streams, environment and working directory and run commands in process.
 */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: InputStream;
  /** Defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where `.lifecycle/` is looked for; defaults to process.cwd(). */
  cwd?: string;
  /** Ctrl-C: long commands stop cleanly between two steps when it aborts. */
  signal?: AbortSignal;
  clients?: Partial<ClientFactories>;
  now?: () => number;
  /** Waits between polls (native redrive progress); tests make it instant. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const DEFAULT_CLIENTS: ClientFactories = {
  sqs: createSqsClient,
  dynamodb: createDynamoDbClient,
  cloudFormation: createCloudFormationClient,
  secretsManager: createSecretsManagerClient,
  eventBridge: createEventBridgeClient,
  cloudWatchLogs: createCloudWatchLogsClient,
};
