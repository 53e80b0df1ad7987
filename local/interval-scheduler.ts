import type { Context, ScheduledEvent } from "aws-lambda";
import { describeError, type Logger } from "../shared/runtime/logging/logger.ts";
import { createLambdaContext, LOCAL_ACCOUNT_ID } from "./lambda/lambda-context.ts";

/**
 * Plays the EventBridge rule that invokes the scheduler function every minute, on a short
 * interval: each tick invokes the handler with a scheduled event and a Lambda-like context,
 * one invocation at a time (a tick while one runs is skipped, as a slow run would overlap).
 */
export type ScheduledHandler = (event: ScheduledEvent, context: Context) => Promise<unknown>;

export interface IntervalSchedulerOptions {
  handler: ScheduledHandler;
  intervalMs: number;
  region: string;
  logger: Logger;
  /** The function timeout: each invocation's deadline. */
  functionTimeoutMs?: number;
  /** The function's name in its context (and so in its log lines). */
  functionName?: string;
}

export class IntervalScheduler {
  readonly #options: IntervalSchedulerOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(options: IntervalSchedulerOptions) {
    this.#options = options;
  }

  get started(): boolean {
    return this.#timer !== undefined;
  }

  /** Runs once at once, then every interval. */
  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.runOnce(), this.#options.intervalMs);
    void this.runOnce();
  }

  /** One invocation now (or the one already running). */
  runOnce(): Promise<void> {
    this.#running ??= this.#invoke().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Stops the ticks and waits for a running invocation. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  async #invoke(): Promise<void> {
    const { region } = this.#options;
    const context = createLambdaContext({
      functionName: this.#options.functionName ?? "lifecycle-scheduler",
      timeoutMs: this.#options.functionTimeoutMs ?? 60_000,
      region,
    });
    const event: ScheduledEvent = {
      version: "0",
      id: context.awsRequestId,
      "detail-type": "Scheduled Event",
      source: "aws.events",
      account: LOCAL_ACCOUNT_ID,
      time: new Date().toISOString(),
      region,
      resources: [],
      detail: {},
    };
    try {
      await this.#options.handler(event, context);
    } catch (error) {
      this.#options.logger.error("The scheduler run failed; the next one retries", {
        error: describeError(error),
      });
    }
  }
}
