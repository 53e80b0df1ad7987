import type { SQSClient } from "@aws-sdk/client-sqs";
import { type AwsClientOptions, createSqsClient } from "../aws/aws-clients.ts";
import type { WebhookConfig } from "../config/webhook-config.ts";
import type { CredentialSource } from "../credentials/credential-source.ts";
import type { SigningKeys } from "../credentials/secret-shapes.ts";
import { createLogger, type Logger } from "../logging/logger.ts";
import { createEmfMetrics, type Metrics } from "../metrics/metrics.ts";
import { SigningKeyring } from "./signing-keys.ts";
import type { WebhookRequestHandlerOptions } from "./webhook-request-handler.ts";

/** Everything the webhook handler runs on. */
export interface WebhookDependencies extends WebhookRequestHandlerOptions {
  close(): void;
}

export interface CreateWebhookDependenciesOptions {
  config: WebhookConfig;
  keys: {
    standardWebhooks: CredentialSource<SigningKeys>;
    bamboohr: CredentialSource<SigningKeys>;
  };
  aws?: {
    region?: string | undefined;
    credentials?: AwsClientOptions["credentials"];
    sqsEndpoint?: string | undefined;
  };
  sqs?: SQSClient | undefined;
  logger?: Logger | undefined;
  metrics?: Metrics | undefined;
  now?: (() => number) | undefined;
}

export function createWebhookDependencies(
  options: CreateWebhookDependenciesOptions,
): WebhookDependencies {
  const sqs =
    options.sqs ??
    createSqsClient({
      region: options.aws?.region,
      endpoint: options.aws?.sqsEndpoint,
      credentials: options.aws?.credentials,
      // A webhook caller waits on this request: fail fast and let the sender retry.
      requestTimeoutMs: 5_000,
    });
  const now = options.now ?? Date.now;
  return {
    sqs,
    queueUrl: options.config.queueUrl,
    keys: {
      standardWebhooks: new SigningKeyring(options.keys.standardWebhooks, now),
      bamboohr: new SigningKeyring(options.keys.bamboohr, now),
    },
    bamboohrMapping: options.config.bamboohrMapping,
    logger: options.logger ?? createLogger({ fields: { service: "webhook" } }),
    metrics: options.metrics ?? createEmfMetrics({ service: "webhook" }),
    now,
    close: () => {
      if (!options.sqs) sqs.destroy();
    },
  };
}
