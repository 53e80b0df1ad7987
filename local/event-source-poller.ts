import { setTimeout as sleep } from "node:timers/promises";
import type { Message } from "@aws-sdk/client-sqs";
import { describeError } from "../shared/runtime/logging/logger.ts";
import { failedRecordsOfInvocation } from "./batch-handler-invocation.ts";
import {
  type EventSourcePollerOptions,
  type ResolvedPollerOptions,
  resolvePollerOptions,
} from "./event-source-poller-options.ts";
import { createLambdaContext } from "./lambda/lambda-context.ts";
import { toSqsEvent } from "./lambda/sqs-event.ts";
import { deleteRecords, receiveBatch } from "./poller-queue-calls.ts";

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
export class EventSourcePoller {
  readonly #options: ResolvedPollerOptions;
  readonly #abort = new AbortController();
  #loops: Promise<void>[] = [];
  #running = 0;
  #stopped = false;
  #abandoned = false;
  readonly #counts: PollerCounts = { batches: 0, records: 0, deleted: 0, leftForRetry: 0 };

  constructor(options: EventSourcePollerOptions) {
    this.#options = resolvePollerOptions(options);
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
        messages = await receiveBatch(this.#options, signal);
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
      const failed = await failedRecordsOfInvocation(
        this.#options.handler,
        event,
        context,
        this.#options,
      );
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
      // Awaited first: `+=` would read the count before the await and lose other pollers' deletes.
      const deleted = await deleteRecords(this.#options, done);
      this.#counts.deleted += deleted;
    } finally {
      this.#running -= 1;
    }
  }
}
