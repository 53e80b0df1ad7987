import type { LifecycleChangeOutcome } from "../../../schemas/lifecycle-change-outcome.ts";
import { OUTCOME_PUBLISH_FAILED_METRIC } from "../../contract/metrics.ts";
import { describeError, type Logger } from "../logging/logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import type { OutcomeOutbox } from "./outcome-outbox.ts";
import { type OutcomeBus, putOutcomeEvents } from "./put-outcome-events.ts";

export interface PublishSummary {
  published: number;
  /** Not taken by EventBridge: kept in the outbox for the scheduler's next run. */
  kept: number;
}

/**
 * Publishes outcomes already recorded in the ledger (the caller's ledger write comes first):
 * PutEvents, 10 a call, retried with a bound; what EventBridge still did not take is kept in
 * the ledger's outbox (`OUTBOX#…`), which the scheduler publishes at its next run, and counted
 * as `OutcomePublishFailed`. It never throws: a publish cannot change the outcome it reports.
 * Should the outbox fail too, the outcome is logged whole at error level, the one place left.
 */
export class OutcomePublisher {
  readonly #bus: OutcomeBus;
  readonly #outbox: Pick<OutcomeOutbox, "keep">;
  readonly #metrics: Metrics;
  readonly #logger: Logger;
  readonly #tries: number | undefined;

  constructor(options: {
    bus: OutcomeBus;
    outbox: Pick<OutcomeOutbox, "keep">;
    metrics: Metrics;
    logger: Logger;
    /** Tries of each entry (default 3, put-outcome-events.ts). */
    tries?: number | undefined;
  }) {
    this.#bus = options.bus;
    this.#outbox = options.outbox;
    this.#metrics = options.metrics;
    this.#logger = options.logger;
    this.#tries = options.tries;
  }

  async publish(
    outcomes: readonly LifecycleChangeOutcome[],
    signal?: AbortSignal,
  ): Promise<PublishSummary> {
    if (outcomes.length === 0) return { published: 0, kept: 0 };
    const logger = this.#logger;
    const notPublished = await putOutcomeEvents(this.#bus, outcomes, {
      logger,
      signal,
      tries: this.#tries,
    }).catch((error: unknown) => {
      logger.error("Publishing outcomes failed", { error: describeError(error) });
      return [...outcomes];
    });
    this.#metrics.count(OUTCOME_PUBLISH_FAILED_METRIC, {}, notPublished.length);
    await Promise.all(
      notPublished.map((outcome) =>
        this.#outbox.keep(outcome).catch((error: unknown) =>
          logger.error("An outcome was neither published nor kept in the outbox", {
            outcome,
            error: describeError(error),
          }),
        ),
      ),
    );
    if (notPublished.length > 0) {
      logger.warn("Outcomes kept in the outbox for the scheduler's next run", {
        kept: notPublished.length,
      });
    }
    return { published: outcomes.length - notPublished.length, kept: notPublished.length };
  }
}
