import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import { NodeHttpHandler } from "@smithy/node-http-handler";

/**
 * Every AWS SDK client is made here, with an explicit request timeout that fails the request
 * (the SDK has none by default, and by default only warns when one is set) and a bounded retry
 * count. `endpoint` points a client at a local stand-in.
 */
export interface AwsClientOptions {
  region?: string | undefined;
  endpoint?: string | undefined;
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
  maxAttempts?: number;
  /** Local stand-ins accept any credentials; deployed code uses the default chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
}

/** Where a function's AWS clients point: omitted when deployed, the stand-ins locally. */
export interface AwsEndpoints {
  region?: string | undefined;
  credentials?: AwsClientOptions["credentials"];
  sqsEndpoint?: string | undefined;
  dynamodbEndpoint?: string | undefined;
  eventBridgeEndpoint?: string | undefined;
}

function commonConfig(options: AwsClientOptions) {
  return {
    region: options.region ?? process.env.AWS_REGION ?? "us-east-1",
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: options.connectionTimeoutMs ?? 3_000,
      requestTimeout: options.requestTimeoutMs ?? 10_000,
      // Without it the handler only logs a warning at the timeout and goes on waiting: a
      // request to an endpoint that stalls would hold its invocation until Lambda kills it.
      throwOnRequestTimeout: true,
    }),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
}

/** SQS long polls wait up to 20 s: the request timeout must outlast the wait. */
export function createSqsClient(options: AwsClientOptions = {}): SQSClient {
  return new SQSClient(commonConfig({ requestTimeoutMs: 25_000, ...options }));
}

/** The one thing the consumer asks of SQS: requests (visibility changes, dead letters). */
export type SqsRequests = Pick<SQSClient, "send">;

/**
 * An SQS client made at its first request. The consumer sends SQS nothing until a record fails
 * (its visibility changed, or a dead letter sent), so a cold start need not pay for making one.
 */
export function createSqsClientAtFirstUse(
  options: AwsClientOptions = {},
): SqsRequests & { destroy(): void } {
  let made: SQSClient | undefined;
  const client = () => {
    made ??= createSqsClient(options);
    return made;
  };
  return {
    // A cast: the client's `send` is a set of overloads no arrow function can be typed as; this
    // one forwards the only form the consumer calls, (command, options?), unchanged.
    send: ((
      command: Parameters<SQSClient["send"]>[0],
      requestOptions?: { abortSignal?: AbortSignal },
    ) => client().send(command, requestOptions ?? {})) as SQSClient["send"],
    destroy: () => made?.destroy(),
  };
}

/**
 * The ledger's client: 3 attempts (the SDK's standard retry mode: jittered backoff from 100 ms,
 * from 500 ms after a throttling answer, and a retry quota that stops retrying when most calls
 * fail), each failed at 5 s; one call gives up within about 18 s. What it then throws is judged
 * by shared/runtime/ledger/ledger-availability.ts.
 */
export function createDynamoDbClient(options: AwsClientOptions = {}): DynamoDBClient {
  return new DynamoDBClient(commonConfig({ requestTimeoutMs: 5_000, ...options }));
}

export function createSecretsManagerClient(options: AwsClientOptions = {}): SecretsManagerClient {
  return new SecretsManagerClient(commonConfig({ requestTimeoutMs: 5_000, ...options }));
}

/** The CLI reads a deployed stack's outputs (`--stack NAME`) with it. */
export function createCloudFormationClient(options: AwsClientOptions = {}): CloudFormationClient {
  return new CloudFormationClient(commonConfig({ requestTimeoutMs: 10_000, ...options }));
}

/**
 * The outcome publisher's client: 2 attempts of the call itself, each failed at 3 s. The
 * entries EventBridge refuses inside a 200 answer are retried by the publisher
 * (shared/runtime/outcomes/put-outcome-events.ts), which the SDK does not do.
 */
export function createEventBridgeClient(options: AwsClientOptions = {}): EventBridgeClient {
  return new EventBridgeClient(
    commonConfig({ requestTimeoutMs: 3_000, maxAttempts: 2, ...options }),
  );
}

/** `lifecycle outcomes --stack` reads the stack's outcome log group with it. */
export function createCloudWatchLogsClient(options: AwsClientOptions = {}): CloudWatchLogsClient {
  return new CloudWatchLogsClient(commonConfig({ requestTimeoutMs: 10_000, ...options }));
}

/** Credentials the local stand-ins accept; never used against AWS. */
export const LOCAL_AWS_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" } as const;
