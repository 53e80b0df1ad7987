import type { SQSClient } from "@aws-sdk/client-sqs";
import { compareQueueOrder, type DeadLetterEntry } from "../../runtime/dlq/dead-letter-entry.ts";
import { queueDepth } from "../queues/queue-depth.ts";
import { type DeadLetterSelection, matchesSelection } from "./dead-letter-selection.ts";
import { DeadLetterSession, type ReleaseResult } from "./dead-letter-session.ts";
import { listingVisibilitySeconds } from "./visibility-sizing.ts";

export interface ListDeadLettersOptions {
  sqs: SQSClient;
  dlqUrl: string;
  selection?: DeadLetterSelection;
  signal?: AbortSignal;
  /** Tests shorten the long poll; see DeadLetterSession. */
  waitTimeSeconds?: number;
  maxReceives?: number;
}

export interface DeadLetterListing {
  /** Selected dead letters, in queue order (SequenceNumber). */
  entries: DeadLetterEntry[];
  /** Dead letters read in all, selected or not. */
  seen: number;
  /** The DLQ's approximate depth (visible + in flight) before reading. */
  approximateDepth: number;
  /** Reading stopped at its bound: there may be more. */
  truncated: boolean;
  /** Messages that could not be released; visible again after `visibilityTimeoutSeconds`. */
  unreleased: number;
  visibilityTimeoutSeconds: number;
}

/**
 * Reads every dead letter it can reach, then makes them all visible again: the DLQ is left as
 * it was. What one listing cannot see (a person's dead letters behind their first one) is
 * explained in dead-letter-session.ts.
 */
export async function listDeadLetters(options: ListDeadLettersOptions): Promise<DeadLetterListing> {
  const depth = await queueDepth(options.sqs, options.dlqUrl);
  const visibilityTimeoutSeconds = listingVisibilitySeconds(depth.total);
  const session = new DeadLetterSession({
    sqs: options.sqs,
    dlqUrl: options.dlqUrl,
    visibilityTimeoutSeconds,
    ...(options.waitTimeSeconds !== undefined ? { waitTimeSeconds: options.waitTimeSeconds } : {}),
    ...(options.maxReceives !== undefined ? { maxReceives: options.maxReceives } : {}),
  });
  const entries: DeadLetterEntry[] = [];
  let seen = 0;
  let released: ReleaseResult = { released: 0, failed: 0 };
  try {
    for await (const entry of session.read(options.signal)) {
      seen += 1;
      if (matchesSelection(entry, options.selection ?? {})) entries.push(entry);
    }
  } finally {
    released = await session.release();
  }
  return {
    entries: entries.sort(compareQueueOrder),
    seen,
    approximateDepth: depth.total,
    truncated: session.truncated,
    unreleased: released.failed,
    visibilityTimeoutSeconds,
  };
}
