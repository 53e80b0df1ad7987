import type { SQSClient } from "@aws-sdk/client-sqs";
import { type AuditSink, auditFieldsOf, fullMessageOf } from "../../runtime/audit/audit-log.ts";
import { compareQueueOrder, type DeadLetterEntry } from "../../runtime/dlq/dead-letter-entry.ts";
import { describeError } from "../../runtime/logging/logger.ts";
import { queueDepth } from "../queues/queue-depth.ts";
import {
  type DeadLetterSelection,
  idsAcrossSources,
  matchesSelection,
} from "./dead-letter-selection.ts";
import { DeadLetterSession } from "./dead-letter-session.ts";
import { listingVisibilitySeconds } from "./visibility-sizing.ts";

/**
 * Deletes selected dead letters for good. Each one is written to the audit log IN FULL (body,
 * message and system attributes) and flushed to disk before its delete is sent, so the log
 * alone can rebuild whatever was discarded.
 *
 * Works in rounds: read everything reachable (held in flight), ask `confirm` about the selected
 * ones, delete them. Deleting a person's first dead letter uncovers the one behind it (FIFO
 * group locking, see dead-letter-session.ts), so the next round reads again and asks again
 * about what it newly found, until a round finds nothing new that is selected.
 */
export interface DiscardOptions {
  sqs: SQSClient;
  dlqUrl: string;
  audit: AuditSink;
  selection: DeadLetterSelection;
  /** Asked before each round's deletes, with that round's selection; false cancels the rest. */
  confirm: (entries: readonly DeadLetterEntry[], round: number) => Promise<boolean>;
  signal?: AbortSignal | undefined;
  /** Rounds at most (default 20). */
  maxRounds?: number;
  waitTimeSeconds?: number;
  maxReceives?: number;
}

export interface DiscardReport {
  discarded: DeadLetterEntry[];
  failed: { entry: DeadLetterEntry; error: string }[];
  /** The operator declined: what was shown then was not deleted. */
  cancelled: boolean;
  seen: number;
  notSelected: number;
  approximateDepth: number;
  stopped: "interrupted" | "truncated" | undefined;
  unreleased: number;
  /**
   * `--id` values that matched dead letters of more than one source, without `--source`:
   * nothing more was discarded.
   */
  idsAcrossSources: { id: string; sources: string[] }[];
}

export async function discardDeadLetters(options: DiscardOptions): Promise<DiscardReport> {
  const depth = await queueDepth(options.sqs, options.dlqUrl);
  const session = new DeadLetterSession({
    sqs: options.sqs,
    dlqUrl: options.dlqUrl,
    visibilityTimeoutSeconds: listingVisibilitySeconds(depth.total),
    ...(options.waitTimeSeconds !== undefined ? { waitTimeSeconds: options.waitTimeSeconds } : {}),
    ...(options.maxReceives !== undefined ? { maxReceives: options.maxReceives } : {}),
  });
  const report: DiscardReport = {
    discarded: [],
    failed: [],
    cancelled: false,
    seen: 0,
    notSelected: 0,
    approximateDepth: depth.total,
    stopped: undefined,
    unreleased: 0,
    idsAcrossSources: [],
  };
  const maxRounds = options.maxRounds ?? 20;
  const sameIdSeen: DeadLetterEntry[] = [];
  try {
    for (let round = 1; ; round += 1) {
      const selected: DeadLetterEntry[] = [];
      for await (const entry of session.read(options.signal)) {
        report.seen += 1;
        if (matchesSelection(entry, options.selection)) selected.push(entry);
        else report.notSelected += 1;
      }
      if (options.signal?.aborted) {
        report.stopped = "interrupted";
        break;
      }
      if (selected.length === 0) break;
      if (round > maxRounds) {
        report.stopped = "truncated";
        break;
      }
      selected.sort(compareQueueOrder);
      // An event id two sources both used names two events: discard neither on a guess.
      sameIdSeen.push(...selected);
      report.idsAcrossSources = idsAcrossSources(sameIdSeen, options.selection);
      if (report.idsAcrossSources.length > 0) break;
      if (!(await options.confirm(selected, round))) {
        report.cancelled = true;
        break;
      }
      for (const entry of selected) {
        if (options.signal?.aborted) {
          report.stopped = "interrupted";
          break;
        }
        await options.audit.write("discard", fullMessageOf(entry));
        try {
          await session.delete(entry);
          report.discarded.push(entry);
        } catch (error) {
          const text = String(describeError(error).message ?? "delete failed");
          await options.audit.write("discard_delete_failed", {
            ...auditFieldsOf(entry),
            error: text,
          });
          report.failed.push({ entry, error: text });
        }
      }
      if (report.stopped !== undefined) break;
    }
    if (report.stopped === undefined && session.truncated) report.stopped = "truncated";
  } finally {
    report.unreleased = (await session.release()).failed;
  }
  return report;
}
