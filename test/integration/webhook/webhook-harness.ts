import { ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { createWebhookHandler } from "../../../functions/webhook/create-handler.ts";
import { createLifecycleQueues } from "../../../local/stand-ins/lifecycle-queues.ts";
import { type SqsServer, startSqsServer } from "../../../local/stand-ins/sqs-server.ts";
import { createSqsClient, LOCAL_AWS_CREDENTIALS } from "../../../shared/aws/aws-clients.ts";
import { loadWebhookConfig } from "../../../shared/config/webhook-config.ts";
import { StaticCredentialSource } from "../../../shared/credentials/static-credential-source.ts";
import { createLogger } from "../../../shared/logging/logger.ts";
import { noMetrics } from "../../../shared/metrics/metrics.ts";
import { createWebhookDependencies } from "../../../shared/webhook/webhook-dependencies.ts";

export const OLD_KEY = `whsec_${Buffer.from("old-key-0123456789abcdef0123456789").toString("base64")}`;
export const NEW_KEY = `whsec_${Buffer.from("new-key-0123456789abcdef0123456789").toString("base64")}`;
export const BAMBOO_KEY = "bamboo-private-key";

/** The webhook handler on a real fauxqs queue, with static keys and a fixed clock. */
export async function startWebhookHarness(options: { nowMs: number }) {
  const server: SqsServer = await startSqsServer();
  const sqs: SQSClient = createSqsClient({
    endpoint: server.endpoint,
    credentials: LOCAL_AWS_CREDENTIALS,
  });
  let queueNumber = 0;
  const logLines: string[] = [];

  async function build(env: Record<string, string> = {}, sqsOverride?: SQSClient) {
    queueNumber += 1;
    const queues = await createLifecycleQueues(sqs, {
      queueName: `webhook-${queueNumber}.fifo`,
      dlqName: `webhook-${queueNumber}-dlq.fifo`,
      maxReceiveCount: 10,
    });
    const keys = {
      standardWebhooks: new StaticCredentialSource({ keys: [OLD_KEY, NEW_KEY] }),
      bamboohr: new StaticCredentialSource({ keys: [BAMBOO_KEY] }),
    };
    const dependencies = createWebhookDependencies({
      config: loadWebhookConfig({ QUEUE_URL: queues.queueUrl, ...env }),
      keys,
      sqs: sqsOverride ?? sqs,
      logger: createLogger({ sink: (line) => logLines.push(line) }),
      metrics: noMetrics,
      now: () => options.nowMs,
    });
    const handler = createWebhookHandler(dependencies);
    const invoke = async (request: {
      path?: string;
      method?: string;
      headers?: Record<string, string>;
      body: string;
      base64?: boolean;
    }) => {
      const event = {
        version: "2.0",
        routeKey: "$default",
        rawPath: request.path ?? "/events",
        rawQueryString: "",
        headers: request.headers ?? {},
        isBase64Encoded: request.base64 ?? false,
        body: request.base64 ? Buffer.from(request.body).toString("base64") : request.body,
        requestContext: {
          http: { method: request.method ?? "POST", path: request.path ?? "/events" },
        },
      } as unknown as APIGatewayProxyEventV2;
      const result = await handler(event, {} as Context);
      return {
        status: result.statusCode ?? 0,
        headers: result.headers ?? {},
        body: result.body ?? "",
      };
    };
    const queued = async () => {
      const output = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queues.queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ["All"],
        }),
      );
      return output.Messages ?? [];
    };
    return { invoke, queued, queues, keys };
  }

  return {
    build,
    logLines,
    stop: async () => {
      sqs.destroy();
      await server.stop();
    },
  };
}
