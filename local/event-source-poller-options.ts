import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { Logger } from "../shared/runtime/logging/logger.ts";

export type SqsBatchHandler = (
  event: SQSEvent,
  context: Context,
) => Promise<SQSBatchResponse | undefined>;

export interface EventSourcePollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  region: string;
  handler: SqsBatchHandler;
  logger: Logger;
  /** Concurrent pollers, each running one batch at a time (Lambda's maximum concurrency). */
  concurrency?: number;
  /** Records per batch, 1 to 10 (a FIFO event source takes at most 10). */
  batchSize?: number;
  /** Long-poll wait per ReceiveMessage, 0 to 20 seconds. */
  waitTimeSeconds?: number;
  /** The function timeout: the invocation's deadline. */
  functionTimeoutMs?: number;
  functionName?: string;
  /** How long stop() waits for running invocations. */
  stopGraceMs?: number;
}

export const POLLER_DEFAULTS = {
  // infra's default `consumerMaxConcurrency`.
  concurrency: 10,
  batchSize: 10,
  waitTimeSeconds: 20,
  functionTimeoutMs: 60_000,
  functionName: "lifecycle-consumer",
  stopGraceMs: 5_000,
} as const;

export type ResolvedPollerOptions = Required<
  Omit<EventSourcePollerOptions, "handler" | "sqs" | "logger">
> & {
  handler: SqsBatchHandler;
  sqs: SQSClient;
  logger: Logger;
};

/** The options with their defaults filled in; a value out of range is a RangeError. */
export function resolvePollerOptions(options: EventSourcePollerOptions): ResolvedPollerOptions {
  const batchSize = options.batchSize ?? POLLER_DEFAULTS.batchSize;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10) {
    throw new RangeError(`batchSize must be a whole number from 1 to 10 (got ${batchSize})`);
  }
  const concurrency = options.concurrency ?? POLLER_DEFAULTS.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a whole number of at least 1 (got ${concurrency})`);
  }
  const waitTimeSeconds = options.waitTimeSeconds ?? POLLER_DEFAULTS.waitTimeSeconds;
  if (!Number.isInteger(waitTimeSeconds) || waitTimeSeconds < 0 || waitTimeSeconds > 20) {
    throw new RangeError(`waitTimeSeconds must be from 0 to 20 (got ${waitTimeSeconds})`);
  }
  return {
    ...options,
    batchSize,
    concurrency,
    waitTimeSeconds,
    functionTimeoutMs: options.functionTimeoutMs ?? POLLER_DEFAULTS.functionTimeoutMs,
    functionName: options.functionName ?? POLLER_DEFAULTS.functionName,
    stopGraceMs: options.stopGraceMs ?? POLLER_DEFAULTS.stopGraceMs,
  };
}
