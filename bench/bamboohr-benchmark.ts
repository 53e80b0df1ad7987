import { EPHEMERAL_PORTS } from "../local/local-ports.ts";
import { startLocalStack } from "../local/local-stack.ts";
import { createLogger } from "../shared/runtime/logging/logger.ts";
import { signBambooHrWebhook } from "../shared/runtime/webhook/bamboohr-signature.ts";
import { percentile } from "./statistics.ts";

export interface BambooHrResult {
  deliveries: number;
  employees: number;
  bodyBytes: number;
  accepted: number;
  p50Ms: number;
  maxMs: number;
  queued: number;
}

/**
 * Large field-based BambooHR deliveries (BambooHR allows up to 1,000 employees in one) posted
 * one after another to the local webhook, every employee's status changed: each answer waits
 * for the validation of every employee and the enqueueing of every event (SendMessageBatch
 * calls of 10, several in flight). The consumer is not polling, so the queue depth afterwards
 * counts what was enqueued.
 */
export async function runBambooHrBenchmark(options: {
  deliveries: number;
  employees: number;
}): Promise<BambooHrResult> {
  const stack = await startLocalStack({
    ports: EPHEMERAL_PORTS,
    stackFile: false,
    startPolling: false,
    env: {},
    logger: createLogger({ level: "error", format: "json" }),
  });
  try {
    const latencies: number[] = [];
    let accepted = 0;
    let bodyBytes = 0;
    for (let delivery = 0; delivery < options.deliveries; delivery += 1) {
      const body = JSON.stringify({
        employees: Array.from({ length: options.employees }, (_, index) => ({
          id: String(100_000 + delivery * options.employees + index),
          action: "Updated",
          timestamp: new Date(Date.parse("2026-11-23T08:00:00Z") + delivery * 1000).toISOString(),
          changedFields: ["Status", "Employment Status"],
          fields: {
            Status: { value: "Inactive" },
            "Employment Status": { value: "Terminated" },
            "Employee #": { value: `emp-${delivery}-${index}` },
            "Work Email": { value: `person-${delivery}-${index}@bench.example` },
          },
        })),
      });
      bodyBytes = Buffer.byteLength(body);
      const headers = signBambooHrWebhook({ key: stack.webhookSecret, body });
      const started = performance.now();
      const response = await fetch(`${stack.endpoints.webhook}/bamboohr`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
      if (response.status === 202) accepted += 1;
    }
    return {
      deliveries: options.deliveries,
      employees: options.employees,
      bodyBytes,
      accepted,
      p50Ms: percentile(latencies, 0.5),
      maxMs: Math.max(...latencies),
      queued: (await stack.queueDepth()).total,
    };
  } finally {
    await stack.stop();
  }
}
