import { setTimeout as sleep } from "node:timers/promises";
import {
  GetQueueAttributesCommand,
  type QueueAttributeName,
  type SQSClient,
} from "@aws-sdk/client-sqs";

/** What a queue holds: ready to receive, received and not yet deleted, and delayed. */
export interface QueueDepth {
  visible: number;
  inFlight: number;
  delayed: number;
  total: number;
}

export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<QueueDepth> {
  const output = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
      ],
    }),
  );
  const count = (name: QueueAttributeName) => Number(output.Attributes?.[name] ?? 0);
  const visible = count("ApproximateNumberOfMessages");
  const inFlight = count("ApproximateNumberOfMessagesNotVisible");
  const delayed = count("ApproximateNumberOfMessagesDelayed");
  return { visible, inFlight, delayed, total: visible + inFlight + delayed };
}

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
