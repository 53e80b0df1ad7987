import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import middy from "@middy/core";

/**
 * The floor of the consumer's cold start (bench/cold-start.ts): what any SQS consumer of this
 * kind loads and does before its handler exists, and no product code. middy, Powertools Logger
 * and Metrics with their middlewares, every AWS SDK client the consumer uses, and the read of
 * the same two secrets.
 */
const logger = new Logger({ serviceName: "floor" });
const metrics = new Metrics({ namespace: "Floor", serviceName: "floor" });
const secrets = new SecretsManagerClient({});
// Every other AWS SDK client the consumer uses (cold-start.ts refuses to measure when the
// consumer bundles an `@aws-sdk/client-*` package missing here).
const otherClients = [new DynamoDBClient({}), new EventBridgeClient({}), new SQSClient({})];

const values = await Promise.all(
  [process.env.ACCOUNT_PLATFORM_SECRET_ID, process.env.OSIS_SECRET_ID].map(async (id) => {
    const output = await secrets.send(new GetSecretValueCommand({ SecretId: id }));
    return JSON.parse(output.SecretString ?? "{}") as unknown;
  }),
);

export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async () => ({ batchItemFailures: [], values, clients: otherClients }));
