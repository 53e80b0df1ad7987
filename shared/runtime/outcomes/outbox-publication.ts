import type { LifecycleChangeOutcome } from "../../../schemas/lifecycle-change-outcome.ts";
import { describeError, type Logger } from "../logging/logger.ts";
import type { OutcomeOutbox } from "./outcome-outbox.ts";
import { type OutcomeBus, PUT_EVENTS_MAX_ENTRIES, putOutcomeEvents } from "./put-outcome-events.ts";

/** What the scheduler publishes the outbox with. */
export interface KeptOutcomes {
  outbox: OutcomeOutbox;
  bus: OutcomeBus;
}

export interface OutboxRunSummary {
  published: number;
  /** Left in the outbox for the next run. */
  left: number;
}

/**
 * The scheduler's run over the outbox: every kept outcome is published (10 a call) and, once
 * EventBridge took it, its item deleted. One EventBridge did not take again stays for the next
 * run; a crash between the publish and the delete publishes it again with the same
 * `outcomeId`, by which subscribers de-duplicate.
 */
export async function publishKeptOutcomes(
  deps: KeptOutcomes & { logger: Logger },
  signal?: AbortSignal,
): Promise<OutboxRunSummary> {
  const summary: OutboxRunSummary = { published: 0, left: 0 };
  let batch: LifecycleChangeOutcome[] = [];
  const flush = async () => {
    const notPublished = await putOutcomeEvents(deps.bus, batch, { logger: deps.logger, signal });
    const published = batch.filter((outcome) => !notPublished.includes(outcome));
    for (const outcome of published) await deps.outbox.remove(outcome.outcomeId);
    summary.published += published.length;
    summary.left += notPublished.length;
    batch = [];
  };
  try {
    for await (const key of deps.outbox.keys()) {
      if (signal?.aborted) break;
      const outcome = await deps.outbox.get(key);
      if (outcome === undefined) continue;
      batch.push(outcome);
      if (batch.length === PUT_EVENTS_MAX_ENTRIES) await flush();
    }
    if (batch.length > 0) await flush();
  } catch (error) {
    deps.logger.error("Could not publish the outbox's outcomes; the next run retries", {
      error: describeError(error),
    });
  }
  if (summary.published + summary.left > 0) {
    deps.logger.info("Outbox outcomes published", { ...summary });
  }
  return summary;
}
