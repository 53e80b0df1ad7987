import { setTimeout as sleep } from "node:timers/promises";
import { type EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import type { LifecycleChangeOutcome } from "../../../schemas/lifecycle-change-outcome.ts";
import { OUTCOME_DETAIL_TYPE } from "../../contract/outcome-event.ts";
import { describeError, type Logger } from "../logging/logger.ts";

/** Where outcomes go: the bus (name or ARN) and the events' `source`. */
export interface OutcomeBus {
  client: EventBridgeClient;
  busName: string;
  source: string;
}

/** PutEvents takes at most 10 entries a call. */
export const PUT_EVENTS_MAX_ENTRIES = 10;

/** Tries of each entry, the first included; the pause before a retry doubles from this. */
const DEFAULT_TRIES = 3;
const DEFAULT_PAUSE_MS = 100;

export interface PutOptions {
  logger: Logger;
  /** Abandons the calls (the invocation's end); what is not published is handed back. */
  signal?: AbortSignal | undefined;
  tries?: number | undefined;
  pauseMs?: number | undefined;
}

/**
 * Publishes the outcomes, 10 a call, and hands back those EventBridge did not take. A call
 * that throws is tried again whole; a 200 answer with failed entries (`FailedEntryCount`)
 * means those entries were not published, and only they are tried again. Each entry has at
 * most `tries` tries, so a bus that stays down costs a bounded wait.
 */
export async function putOutcomeEvents(
  bus: OutcomeBus,
  outcomes: readonly LifecycleChangeOutcome[],
  options: PutOptions,
): Promise<LifecycleChangeOutcome[]> {
  const notPublished: LifecycleChangeOutcome[] = [];
  for (let start = 0; start < outcomes.length; start += PUT_EVENTS_MAX_ENTRIES) {
    const batch = outcomes.slice(start, start + PUT_EVENTS_MAX_ENTRIES);
    notPublished.push(...(await putBatch(bus, batch, options)));
  }
  return notPublished;
}

async function putBatch(
  bus: OutcomeBus,
  batch: readonly LifecycleChangeOutcome[],
  options: PutOptions,
): Promise<LifecycleChangeOutcome[]> {
  const tries = options.tries ?? DEFAULT_TRIES;
  let left = [...batch];
  for (let attempt = 1; left.length > 0 && attempt <= tries; attempt += 1) {
    if (attempt > 1) {
      const pause = (options.pauseMs ?? DEFAULT_PAUSE_MS) * 2 ** (attempt - 2);
      const paused = await sleep(pause, true, { signal: options.signal }).catch(() => false);
      if (!paused) break;
    }
    try {
      const output = await bus.client.send(
        new PutEventsCommand({
          Entries: left.map((outcome) => ({
            EventBusName: bus.busName,
            Source: bus.source,
            DetailType: OUTCOME_DETAIL_TYPE,
            // No Time: the event's is when it was published (what a log group orders by);
            // the detail's `at` says when the outcome was reached.
            Detail: JSON.stringify(outcome),
          })),
        }),
        { abortSignal: options.signal },
      );
      const entries = output.Entries ?? [];
      // An answer without an entry for a request entry cannot say it was published.
      left = left.filter((_, index) => {
        const entry = entries[index];
        return entry === undefined || entry.ErrorCode !== undefined || entry.EventId === undefined;
      });
      if (left.length > 0) {
        options.logger.warn("EventBridge refused outcome events", {
          refused: left.length,
          attempt,
          errorCode: entries.find((entry) => entry.ErrorCode !== undefined)?.ErrorCode,
        });
      }
    } catch (error) {
      options.logger.warn("Could not publish outcome events", {
        outcomes: left.length,
        attempt,
        error: describeError(error),
      });
    }
  }
  return left;
}
