import { setTimeout as sleep } from "node:timers/promises";
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { unlessCutOff } from "../shared/runtime/consumer/invocation-deadline.ts";
import { describeError, type Logger } from "../shared/runtime/logging/logger.ts";
import { createLambdaContext } from "./lambda/lambda-context.ts";
import { toSqsEvent } from "./lambda/sqs-event.ts";

/**
 * Plays Lambda's SQS event source mapping for the consumer handler, as the deployed stack
 * configures it (batch size 10, ReportBatchItemFailures, a maximum concurrency):
 * - each of `concurrency` pollers long-polls for a batch of up to `batchSize` records and
 *   invokes the handler with it and a Lambda-like context whose deadline is the function timeout;
 * - the records not reported in `batchItemFailures` are deleted; reported ones are left to their
 *   visibility timeout (the consumer sets it: a backoff, or 0 for records it did not try);
 * - a handler that throws, times out, or reports an identifier not in the batch fails the whole
 *   batch: nothing is deleted and every record comes back after the queue's visibility timeout.
 *
 * Unlike Lambda it cannot kill a handler that overruns its timeout; the handler runs on, but
 * its batch counts as failed. `stop()` stops waiting on the long polls at once (records of an
 * answer that arrives later are handed back), tells running invocations that their time is up
 * (the consumer then starts no further records and releases them), and waits at most
 * `stopGraceMs` for them.
 */
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

/** After a failed ReceiveMessage a poller waits, doubling from the first to the cap. */
const RECEIVE_RETRY_MS = { first: 200, cap: 5_000 } as const;

export interface PollerStopResult {
  /** Every running invocation ended within the grace period. */
  finished: boolean;
  /** Invocations still running when the grace period ended; their records are not deleted. */
  abandonedBatches: number;
}

export interface PollerCounts {
  batches: number;
  records: number;
  deleted: number;
  /** Records left on the queue: reported failed, or in a batch that failed as a whole. */
  leftForRetry: number;
}

export class EventSourcePoller {
  readonly #options: Required<Omit<EventSourcePollerOptions, "handler" | "sqs" | "logger">> & {
    handler: SqsBatchHandler;
    sqs: SQSClient;
    logger: Logger;
  };
  readonly #abort = new AbortController();
  #loops: Promise<void>[] = [];
  #running = 0;
  #stopped = false;
  #abandoned = false;
  readonly #counts: PollerCounts = { batches: 0, records: 0, deleted: 0, leftForRetry: 0 };

  constructor(options: EventSourcePollerOptions) {
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
    this.#options = {
      ...options,
      batchSize,
      concurrency,
      waitTimeSeconds,
      functionTimeoutMs: options.functionTimeoutMs ?? POLLER_DEFAULTS.functionTimeoutMs,
      functionName: options.functionName ?? POLLER_DEFAULTS.functionName,
      stopGraceMs: options.stopGraceMs ?? POLLER_DEFAULTS.stopGraceMs,
    };
  }

  /** Invocations running now. */
  get batchesInFlight(): number {
    return this.#running;
  }

  get counts(): Readonly<PollerCounts> {
    return { ...this.#counts };
  }

  get concurrency(): number {
    return this.#options.concurrency;
  }

  /** Starts the pollers. A poller runs once: after stop(), make a new one. */
  start(): void {
    if (this.#loops.length > 0 || this.#stopped) {
      throw new Error("this poller has already been started");
    }
    for (let index = 0; index < this.#options.concurrency; index += 1) {
      this.#loops.push(this.#poll(index));
    }
  }

  async stop(): Promise<PollerStopResult> {
    if (this.#stopped) return { finished: !this.#abandoned, abandonedBatches: 0 };
    this.#stopped = true;
    this.#abort.abort();
    const grace = new AbortController();
    const outcome = await Promise.race([
      Promise.allSettled(this.#loops).then(() => "finished" as const),
      sleep(this.#options.stopGraceMs, "timed-out" as const, { signal: grace.signal }).catch(
        () => "finished" as const,
      ),
    ]);
    grace.abort();
    if (outcome === "finished") return { finished: true, abandonedBatches: 0 };
    this.#abandoned = true;
    const abandonedBatches = this.#running;
    this.#options.logger.warn(
      "Stopped waiting for running consumer invocations; their records stay on the queue and come back after its visibility timeout",
      { abandonedBatches, graceMs: this.#options.stopGraceMs },
    );
    return { finished: false, abandonedBatches };
  }

  async #poll(poller: number): Promise<void> {
    const { signal } = this.#abort;
    let retryMs: number = RECEIVE_RETRY_MS.first;
    while (!signal.aborted) {
      let messages: Message[];
      try {
        messages = await this.#receive(signal);
        retryMs = RECEIVE_RETRY_MS.first;
      } catch (error) {
        if (signal.aborted) return;
        this.#options.logger.warn("ReceiveMessage failed; polling again shortly", {
          poller,
          retryMs,
          error: describeError(error),
        });
        await sleep(retryMs, undefined, { signal }).catch(() => {});
        retryMs = Math.min(retryMs * 2, RECEIVE_RETRY_MS.cap);
        continue;
      }
      // Records received just as the stop came are still invoked: with no time left, the
      // consumer releases them at once instead of leaving them invisible.
      if (messages.length > 0) await this.#invoke(messages);
    }
  }

  /**
   * One long poll. On stop the poller stops waiting for it at once, but the request itself is
   * left to end: cut off, an answer already on its way would leave its messages invisible for a
   * whole visibility timeout, received by nobody. Messages in an answer that comes after the
   * stop are handed back to the queue at once.
   */
  async #receive(signal: AbortSignal): Promise<Message[]> {
    const receiving = this.#options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.#options.queueUrl,
        MaxNumberOfMessages: this.#options.batchSize,
        WaitTimeSeconds: this.#options.waitTimeSeconds,
        MessageSystemAttributeNames: ["All"],
        MessageAttributeNames: ["All"],
      }),
    );
    const output = await unlessCutOff(receiving, signal, ABORTED);
    if (output !== ABORTED) return output.Messages ?? [];
    receiving.then(
      (late) => this.#release(late.Messages ?? []),
      () => {},
    );
    return [];
  }

  async #release(messages: readonly Message[]): Promise<void> {
    if (messages.length === 0) return;
    try {
      await this.#options.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.#options.queueUrl,
          Entries: messages.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle ?? "",
            VisibilityTimeout: 0,
          })),
        }),
      );
    } catch (error) {
      this.#options.logger.debug("Could not hand back records received after the stop", {
        records: messages.length,
        error: describeError(error),
      });
    }
  }

  async #invoke(messages: Message[]): Promise<void> {
    const { logger, functionTimeoutMs } = this.#options;
    this.#running += 1;
    this.#counts.batches += 1;
    this.#counts.records += messages.length;
    try {
      const event = toSqsEvent(messages, {
        arn: this.#options.queueArn,
        region: this.#options.region,
      });
      const context = createLambdaContext({
        functionName: this.#options.functionName,
        timeoutMs: functionTimeoutMs,
        region: this.#options.region,
        timeIsUp: () => this.#abort.signal.aborted,
      });
      const failed = await this.#failedRecords(event, context);
      const done = messages.filter(
        (message) => failed !== "all" && !failed.has(message.MessageId ?? ""),
      );
      this.#counts.leftForRetry += messages.length - done.length;
      if (this.#abandoned) {
        // stop() has returned: whoever embeds the stack may be closing the SQS server now.
        logger.warn("A consumer invocation ended after shutdown; its records were not deleted", {
          requestId: context.awsRequestId,
          records: messages.length,
        });
        return;
      }
      await this.#delete(done);
    } finally {
      this.#running -= 1;
    }
  }

  /** Message ids to leave on the queue, or "all" when the invocation failed as a whole. */
  async #failedRecords(event: SQSEvent, context: Context): Promise<Set<string> | "all"> {
    const { logger, functionTimeoutMs } = this.#options;
    const timer = new AbortController();
    try {
      const result = await Promise.race([
        this.#options.handler(event, context),
        sleep(functionTimeoutMs, TIMED_OUT, { signal: timer.signal }),
      ]);
      if (result === TIMED_OUT) {
        logger.error("The consumer invocation timed out; its whole batch will be delivered again", {
          requestId: context.awsRequestId,
          functionTimeoutMs,
          records: event.Records.length,
        });
        return "all";
      }
      const ids = new Set(event.Records.map((record) => record.messageId));
      const failures = result?.batchItemFailures ?? [];
      const failed = new Set<string>();
      for (const failure of failures) {
        if (!ids.has(failure.itemIdentifier)) {
          // Lambda treats a null, empty or unknown identifier as a failure of the whole batch.
          logger.error("The consumer reported a record not in its batch; the batch failed", {
            requestId: context.awsRequestId,
            itemIdentifier: failure.itemIdentifier,
          });
          return "all";
        }
        failed.add(failure.itemIdentifier);
      }
      return failed;
    } catch (error) {
      logger.error("The consumer invocation failed; its whole batch will be delivered again", {
        requestId: context.awsRequestId,
        error: describeError(error),
      });
      return "all";
    } finally {
      timer.abort();
    }
  }

  async #delete(messages: readonly Message[]): Promise<void> {
    if (messages.length === 0) return;
    try {
      const output = await this.#options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.#options.queueUrl,
          Entries: messages.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle ?? "",
          })),
        }),
      );
      const failed = output.Failed ?? [];
      this.#counts.deleted += messages.length - failed.length;
      for (const failure of failed) {
        this.#options.logger.warn("Could not delete a processed record; it will come back", {
          messageId: messages[Number(failure.Id)]?.MessageId,
          code: failure.Code,
        });
      }
    } catch (error) {
      // The records come back after their visibility timeout; the ledger makes them duplicates.
      this.#options.logger.warn("Could not delete processed records; they will come back", {
        records: messages.length,
        error: describeError(error),
      });
    }
  }
}

const TIMED_OUT = Symbol("timed out");
const ABORTED = Symbol("aborted");
