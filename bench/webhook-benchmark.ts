import { EPHEMERAL_PORTS } from "../local/local-ports.ts";
import { startLocalStack } from "../local/local-stack.ts";
import { createLogger } from "../shared/runtime/logging/logger.ts";
import { signStandardWebhook } from "../shared/runtime/webhook/standard-webhooks.ts";
import { percentile } from "./statistics.ts";

export interface WebhookResult {
  requests: number;
  concurrency: number;
  accepted: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  queued: number;
}

/**
 * Signed single events (Standard Webhooks) posted to the local webhook, which validates,
 * maps and enqueues each on the local FIFO queue. The consumer is not polling, so the queue
 * depth afterwards counts what was enqueued.
 */
export async function runWebhookBenchmark(options: {
  requests: number;
  concurrency: number;
}): Promise<WebhookResult> {
  const stack = await startLocalStack({
    ports: EPHEMERAL_PORTS,
    stackFile: false,
    startPolling: false,
    env: {},
    logger: createLogger({ level: "error", format: "json" }),
  });
  try {
    const url = `${stack.endpoints.webhook}/events`;
    const latencies: number[] = [];
    let accepted = 0;
    let next = 0;
    const post = async (index: number) => {
      const body = JSON.stringify({
        specversion: "1.0",
        id: `webhook-bench-${index}`,
        source: "urn:bench:hr",
        type: "user.offboarded",
        subject: `person-${index}`,
        time: new Date(Date.parse("2026-11-23T08:00:00Z") + index).toISOString(),
        data: { accountPlatform: { login: `person-${index}@bench.example` } },
      });
      const headers = signStandardWebhook({ secret: stack.webhookSecret, body });
      const started = performance.now();
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/cloudevents+json", ...headers },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
      if (response.status === 202) accepted += 1;
    };
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        for (let index = next++; index < options.requests; index = next++) await post(index);
      }),
    );
    const elapsedMs = performance.now() - started;
    return {
      requests: options.requests,
      concurrency: options.concurrency,
      accepted,
      requestsPerSecond: options.requests / (elapsedMs / 1000),
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      queued: (await stack.queueDepth()).total,
    };
  } finally {
    await stack.stop();
  }
}
