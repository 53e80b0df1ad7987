import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { createWebhookHandler } from "../../../../functions/webhook/create-handler.ts";
import { toApiGatewayEvent } from "../../../../local/lambda/api-gateway-event.ts";
import { BambooHrSimulator } from "../../../../local/simulators/bamboohr/bamboohr-simulator.ts";
import { createLifecycleQueues } from "../../../../local/stand-ins/lifecycle-queues.ts";
import { type SqsServer, startSqsServer } from "../../../../local/stand-ins/sqs-server.ts";
import {
  createSqsClient,
  LOCAL_AWS_CREDENTIALS,
} from "../../../../shared/runtime/aws/aws-clients.ts";
import type {
  BambooHrApiCredentials,
  SigningKeys,
} from "../../../../shared/runtime/credentials/secret-shapes.ts";
import { StaticCredentialSource } from "../../../../shared/runtime/credentials/static-credential-source.ts";
import { createLogger } from "../../../../shared/runtime/logging/logger.ts";
import { createEmfMetrics } from "../../../../shared/runtime/metrics/metrics.ts";
import { signBambooHrWebhook } from "../../../../shared/runtime/webhook/bamboohr-signature.ts";
import { signStandardWebhook } from "../../../../shared/runtime/webhook/standard-webhooks.ts";
import { loadWebhookConfig } from "../../../../shared/runtime/webhook/webhook-config.ts";
import { createWebhookDependencies } from "../../../../shared/runtime/webhook/webhook-dependencies.ts";
import { lambdaContext } from "../../../support/lambda.ts";

export const OLD_KEY = `whsec_${Buffer.from("old-key-0123456789abcdef0123456789").toString("base64")}`;
export const NEW_KEY = `whsec_${Buffer.from("new-key-0123456789abcdef0123456789").toString("base64")}`;
/** A well-formed key nobody configured. */
export const STRANGER_KEY = `whsec_${Buffer.from("stranger-0123456789abcdef01234567").toString("base64")}`;
export const BAMBOO_KEY = "bamboo-private-key-5f1c0e9a7d3b2a1c4e6f";
/** The BambooHR API key the harness's simulator accepts. */
export const BAMBOO_API_KEY = "bamboo-api-key-0c1d2e3f4a5b6c7d8e9f";

/** The clock of every harness: requests are signed for this moment unless a test says else. */
export const NOW_SECONDS = 1_795_400_000;

export interface WebhookCall {
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  body: string | Buffer;
  /** Hand the body to the handler base64-encoded, as API Gateway does with binary bodies. */
  base64?: boolean;
}

export interface WebhookAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * A payload-1.0 event as API Gateway's REST API builds it (`base64`: as the deployed API sends
 * every body, its media types all binary; without it, the body as text).
 */
export function apiGatewayEvent(call: WebhookCall): APIGatewayProxyEvent {
  const path = call.path ?? "/events";
  const bytes = typeof call.body === "string" ? Buffer.from(call.body) : call.body;
  const headers = Object.entries(call.headers ?? {}).map(([name, value]) => [name, [value]]);
  const event = toApiGatewayEvent(
    {
      method: call.method ?? "POST",
      url: path,
      headers: Object.fromEntries(headers),
      body: bytes,
      sourceIp: "127.0.0.1",
      host: "test.local",
      httpVersion: "1.1",
    },
    path,
  );
  return call.base64 ? event : { ...event, isBase64Encoded: false, body: bytes.toString("utf8") };
}

/** Standard Webhooks headers for `body` plus a content type. */
export function signedHeaders(
  body: string | Buffer,
  options: { secret?: string; timestamp?: number; contentType?: string; id?: string } = {},
): Record<string, string> {
  return {
    ...signStandardWebhook({
      secret: options.secret ?? NEW_KEY,
      id: options.id ?? "msg_1",
      timestamp: options.timestamp ?? NOW_SECONDS,
      body,
    }),
    "content-type": options.contentType ?? "application/cloudevents+json",
  };
}

/** BambooHR headers for `body`. */
export function bambooHeaders(
  body: string | Buffer,
  options: { key?: string; timestamp?: number | string; contentType?: string } = {},
): Record<string, string> {
  return {
    ...signBambooHrWebhook({
      key: options.key ?? BAMBOO_KEY,
      timestamp: options.timestamp ?? NOW_SECONDS,
      body,
    }),
    "content-type": options.contentType ?? "application/json",
  };
}

/**
 * The webhook handler on a real fauxqs queue, with static keys and a fixed clock, reading
 * employees from a BambooHR simulator. Each `build` gets its own queues, log and metric lines,
 * and a count of the SendMessageBatch entries the handler sent (observed on the real SQS client
 * it uses). Tests seed the simulator with employee ids of their own.
 */
export async function startWebhookHarness() {
  const server: SqsServer = await startSqsServer();
  const bamboohr = await BambooHrSimulator.start({ apiKeys: [BAMBOO_API_KEY] });
  const reader: SQSClient = createSqsClient({
    endpoint: server.endpoint,
    credentials: LOCAL_AWS_CREDENTIALS,
  });
  const clients: { destroy(): void }[] = [];
  let queueNumber = 0;

  async function build(
    env: Record<string, string> = {},
    options: {
      keys?: Partial<Record<"standardWebhooks" | "bamboohr", SigningKeys>>;
      bamboohrApi?: BambooHrApiCredentials | undefined;
      aws?: { dynamodbEndpoint: string };
    } = {},
  ) {
    queueNumber += 1;
    const queues = await createLifecycleQueues(reader, {
      queueName: `webhook-${queueNumber}.fifo`,
      dlqName: `webhook-${queueNumber}-dlq.fifo`,
      maxReceiveCount: 10,
    });
    const sqs = createSqsClient({ endpoint: server.endpoint, credentials: LOCAL_AWS_CREDENTIALS });
    clients.push(sqs);
    const sent = { calls: 0, entries: 0, inFlight: 0, peakInFlight: 0 };
    sqs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== "SendMessageBatchCommand") return next(args);
        sent.calls += 1;
        sent.entries += (args.input as { Entries?: unknown[] }).Entries?.length ?? 0;
        sent.inFlight += 1;
        sent.peakInFlight = Math.max(sent.peakInFlight, sent.inFlight);
        try {
          return await next(args);
        } finally {
          sent.inFlight -= 1;
        }
      },
      { step: "initialize", name: "countSends" },
    );
    const keys = {
      standardWebhooks: new StaticCredentialSource<SigningKeys>(
        options.keys?.standardWebhooks ?? { keys: [OLD_KEY, NEW_KEY] },
      ),
      bamboohr: new StaticCredentialSource<SigningKeys>(
        options.keys?.bamboohr ?? { keys: [BAMBOO_KEY] },
      ),
    };
    const logLines: string[] = [];
    const metricLines: string[] = [];
    const bamboohrApi = new StaticCredentialSource<BambooHrApiCredentials | undefined>(
      "bamboohrApi" in options
        ? options.bamboohrApi
        : { apiKey: BAMBOO_API_KEY, companyDomain: "acme" },
    );
    const dependencies = createWebhookDependencies({
      config: loadWebhookConfig({
        QUEUE_URL: queues.queueUrl,
        BAMBOOHR_API_URL: bamboohr.url,
        BAMBOOHR_API_TIMEOUT_MS: "500",
        ...env,
      }),
      keys,
      bamboohrApi,
      sqs,
      aws: { credentials: LOCAL_AWS_CREDENTIALS, ...options.aws },
      logger: createLogger({ level: "debug", sink: (line) => logLines.push(line) }),
      metrics: createEmfMetrics({ service: "webhook", sink: (line) => metricLines.push(line) }),
      now: () => NOW_SECONDS * 1000,
    });
    const handler = createWebhookHandler(dependencies);

    const invoke = async (call: WebhookCall): Promise<WebhookAnswer> => {
      const result = await handler(apiGatewayEvent(call), lambdaContext());
      return {
        status: result.statusCode ?? 0,
        headers: Object.fromEntries(
          Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]),
        ),
        body: result.body ?? "",
      };
    };

    /** Messages in the queue, visible or in flight. */
    const depth = async (): Promise<number> => {
      const output = await reader.send(
        new GetQueueAttributesCommand({
          QueueUrl: queues.queueUrl,
          AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        }),
      );
      return (
        Number(output.Attributes?.ApproximateNumberOfMessages ?? 0) +
        Number(output.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
      );
    };

    /** Every message in the queue, received and deleted (fauxqs gives one per group a call). */
    const drain = async (): Promise<Message[]> => {
      const all: Message[] = [];
      for (let round = 0; round < 100; round += 1) {
        const output = await reader.send(
          new ReceiveMessageCommand({
            QueueUrl: queues.queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 0,
            MessageSystemAttributeNames: ["All"],
            MessageAttributeNames: ["All"],
          }),
        );
        const messages = output.Messages ?? [];
        if (messages.length === 0) return all;
        all.push(...messages);
        await reader.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queues.queueUrl,
            Entries: messages.map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.ReceiptHandle ?? "",
            })),
          }),
        );
      }
      throw new Error("the queue did not drain");
    };

    clients.push({ destroy: () => dependencies.close() });
    return { invoke, depth, drain, sent, sqs, queues, keys, logLines, metricLines, dependencies };
  }

  return {
    build,
    bamboohr,
    stop: async () => {
      for (const client of [reader, ...clients]) client.destroy();
      await Promise.all([server.stop(), bamboohr.stop()]);
    },
  };
}

export type WebhookHarness = Awaited<ReturnType<typeof startWebhookHarness>>;
export type BuiltWebhook = Awaited<ReturnType<WebhookHarness["build"]>>;
