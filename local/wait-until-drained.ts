import { setTimeout as sleep } from "node:timers/promises";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { type QueueDepth, queueDepth } from "../shared/operator/queues/queue-depth.ts";

export class DrainTimeoutError extends Error {
  override readonly name = "DrainTimeoutError";
  readonly depth: QueueDepth;
  constructor(timeoutMs: number, depth: QueueDepth) {
    super(
      `The queue did not drain within ${timeoutMs} ms (${depth.visible} waiting, ${depth.inFlight} in flight, ${depth.delayed} delayed)`,
    );
    this.depth = depth;
  }
}

/**
 * Waits until the queue holds nothing (no message waiting, in flight or delayed) and no
 * consumer invocation is running. A message is in flight from its receive until its delete,
 * and a failed record waits out its backoff in flight, so an empty queue with no invocation
 * running means every message sent before the call has reached its end.
 */
export async function waitUntilDrained(options: {
  sqs: SQSClient;
  queueUrl: string;
  invocationsRunning: () => number;
  timeoutMs?: number;
  intervalMs?: number;
  signal?: AbortSignal;
}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const depth = await queueDepth(options.sqs, options.queueUrl);
    if (depth.total === 0 && options.invocationsRunning() === 0) return;
    if (Date.now() >= deadline) throw new DrainTimeoutError(timeoutMs, depth);
    await sleep(intervalMs, undefined, { signal: options.signal });
  }
}
