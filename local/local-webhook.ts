import { randomUUID } from "node:crypto";
import { createWebhookHandler } from "../functions/webhook/create-handler.ts";
import { WEBHOOK_PATHS } from "../shared/contract/webhook-routes.ts";
import { LOCAL_AWS_CREDENTIALS } from "../shared/runtime/aws/aws-clients.ts";
import type { Environment } from "../shared/runtime/consumer/consumer-config.ts";
import type {
  BambooHrApiCredentials,
  SigningKeys,
} from "../shared/runtime/credentials/secret-shapes.ts";
import { StaticCredentialSource } from "../shared/runtime/credentials/static-credential-source.ts";
import type { LifecycleEvent } from "../shared/runtime/events/lifecycle-event.ts";
import type { Logger } from "../shared/runtime/logging/logger.ts";
import { type Metrics, noMetrics } from "../shared/runtime/metrics/metrics.ts";

import {
  generateWebhookSecret,
  signStandardWebhook,
} from "../shared/runtime/webhook/standard-webhooks.ts";
import { loadWebhookConfig } from "../shared/runtime/webhook/webhook-config.ts";
import { createWebhookDependencies } from "../shared/runtime/webhook/webhook-dependencies.ts";
import { type ProxyResource, startWebhookHttpAdapter } from "./webhook-http-adapter.ts";

/**
 * The deployed webhook function, served locally through the HTTP adapter. Its signing keys
 * come through a static credential source: one secret generated per run, accepted on both
 * routes (Standard Webhooks on /events, as the BambooHR key on /bamboohr).
 */
export interface LocalWebhook {
  /** Base URL; POST /events or /bamboohr under it (as the deployed `WebhookUrl` output). */
  readonly url: string;
  readonly port: number;
  readonly secret: string;
  stop(): Promise<void>;
}

export async function startLocalWebhook(options: {
  port: number;
  host: string;
  region: string;
  queueUrl: string;
  sqsEndpoint: string;
  /** The ledger the webhook reads (GetItem) for a deleted BambooHR employee. */
  dynamodbEndpoint: string;
  ledgerTable: string;
  /** BambooHR's API: the simulator's URL and key, or a real account's. */
  bamboohr: { url: string; credentials: BambooHrApiCredentials };
  logger: Logger;
  /** BAMBOOHR_* field mapping variables are read here. */
  env: Environment;
  metrics?: Metrics | undefined;
  /** Functions of their own on the same API (the SCIM endpoint). */
  proxies?: readonly ProxyResource[] | undefined;
}): Promise<LocalWebhook> {
  const secret = generateWebhookSecret();
  const keys = new StaticCredentialSource<SigningKeys>({ keys: [secret] });
  const dependencies = createWebhookDependencies({
    config: loadWebhookConfig({
      ...options.env,
      QUEUE_URL: options.queueUrl,
      BAMBOOHR_API_URL: options.bamboohr.url,
      LEDGER_TABLE: options.ledgerTable,
    }),
    keys: { standardWebhooks: keys, bamboohr: keys },
    bamboohrApi: new StaticCredentialSource<BambooHrApiCredentials | undefined>(
      options.bamboohr.credentials,
    ),
    aws: {
      region: options.region,
      credentials: LOCAL_AWS_CREDENTIALS,
      sqsEndpoint: options.sqsEndpoint,
      dynamodbEndpoint: options.dynamodbEndpoint,
    },
    logger: options.logger,
    metrics: options.metrics ?? noMetrics,
  });
  const handler = createWebhookHandler(dependencies);
  try {
    const server = await startWebhookHttpAdapter({
      handler: (event, context) => handler(event, context),
      // Every method of each path, as the deployed REST API routes them (the function answers 405).
      paths: [...WEBHOOK_PATHS.keys()],
      proxies: options.proxies,
      port: options.port,
      host: options.host,
      region: options.region,
      logger: options.logger,
    });
    return {
      url: server.url,
      port: server.port,
      secret,
      stop: async () => {
        await server.stop();
        dependencies.close();
      },
    };
  } catch (error) {
    dependencies.close();
    throw error;
  }
}

/** Sends one event to a local webhook the way an HR system would: signed, as a CloudEvent. */
export async function sendToWebhook(
  webhook: { url: string; secret: string },
  event: LifecycleEvent,
): Promise<void> {
  const body = JSON.stringify(event);
  const signature = signStandardWebhook({
    secret: webhook.secret,
    id: randomUUID(),
    timestamp: Math.floor(Date.now() / 1000),
    body,
  });
  const response = await fetch(`${webhook.url}/events`, {
    method: "POST",
    headers: { "content-type": "application/cloudevents+json", ...signature },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status !== 202) {
    throw new Error(`the webhook answered ${response.status}: ${await response.text()}`);
  }
}
