import { readFile } from "node:fs/promises";
import { type CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import type {
  LifecycleChangeOutcome,
  OutcomeKind,
} from "../../../schemas/lifecycle-change-outcome.ts";
import { OUTCOME_DETAIL_TYPE } from "../../contract/outcome-event.ts";

/**
 * Where `lifecycle outcomes` reads the outcome events: the local stand-in's file (one event a
 * line) or the stack's outcome log group, where the stack's rule writes each event as it is
 * delivered. Both hold EventBridge events whole (`id`, `source`, `detail-type`, `detail`);
 * only those of the outcome detail type are read, and a line that is not one is skipped.
 */
export interface OutcomeFilter {
  subjects?: readonly string[] | undefined;
  outcomes?: readonly OutcomeKind[] | undefined;
  /** Reached at or after, epoch ms. */
  since?: number | undefined;
}

export interface OutcomeSource {
  /** The outcomes there now published at or after `from` (epoch ms; all when undefined), in any order. */
  read(from: number | undefined, signal?: AbortSignal): Promise<LifecycleChangeOutcome[]>;
}

/** Those `filter` selects, newest first (by `at`: EventBridge does not order deliveries). */
export function selectOutcomes(
  outcomes: readonly LifecycleChangeOutcome[],
  filter: OutcomeFilter,
): LifecycleChangeOutcome[] {
  const since = filter.since;
  return outcomes
    .filter(
      (outcome) =>
        (filter.subjects === undefined ||
          filter.subjects.length === 0 ||
          filter.subjects.includes(outcome.event.subject ?? "")) &&
        (filter.outcomes === undefined ||
          filter.outcomes.length === 0 ||
          filter.outcomes.includes(outcome.outcome)) &&
        (since === undefined || Date.parse(outcome.at) >= since),
    )
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || b.outcomeId.localeCompare(a.outcomeId));
}

/** The local stand-in's file; a file not there yet holds no outcomes. */
export function outcomeFile(path: string): OutcomeSource {
  return {
    read: async () => {
      let text: string;
      try {
        text = await readFile(path, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw error;
      }
      return text.split("\n").flatMap((line) => outcomeOfEvent(line));
    },
  };
}

/**
 * The stack's outcome log group, read with FilterLogEvents from `from` (a page at a time; a
 * log group keeps what its retention says). An outcome is published after it was reached (by
 * the scheduler, from the outbox, maybe much later), so `from` never drops one reached since.
 */
export function outcomeLogGroup(client: CloudWatchLogsClient, logGroupName: string): OutcomeSource {
  return {
    read: async (from, signal) => {
      const outcomes: LifecycleChangeOutcome[] = [];
      let nextToken: string | undefined;
      do {
        const output = await client.send(
          new FilterLogEventsCommand({
            logGroupName,
            ...(from === undefined ? {} : { startTime: from }),
            ...(nextToken === undefined ? {} : { nextToken }),
          }),
          { abortSignal: signal },
        );
        for (const event of output.events ?? []) outcomes.push(...outcomeOfEvent(event.message));
        nextToken = output.nextToken;
      } while (nextToken !== undefined);
      return outcomes;
    },
  };
}

function outcomeOfEvent(text: string | undefined): LifecycleChangeOutcome[] {
  if (text === undefined || text.trim() === "") return [];
  try {
    const event = JSON.parse(text) as { "detail-type"?: unknown; detail?: unknown };
    if (event["detail-type"] !== OUTCOME_DETAIL_TYPE) return [];
    const detail = event.detail as Partial<LifecycleChangeOutcome> | undefined;
    if (typeof detail?.outcomeId !== "string" || typeof detail.at !== "string") return [];
    return [detail as LifecycleChangeOutcome];
  } catch {
    return [];
  }
}
