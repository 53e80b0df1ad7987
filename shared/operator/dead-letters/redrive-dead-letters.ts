import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { type AuditAction, type AuditSink, auditFieldsOf } from "../../runtime/audit/audit-log.ts";
import type { DeadLetterEntry } from "../../runtime/dlq/dead-letter-entry.ts";
import { readBambooHrSignal } from "../../runtime/events/bamboohr-signal.ts";
import type { EventRef, LedgerReader } from "../../runtime/ledger/person-record.ts";
import { describeError } from "../../runtime/logging/logger.ts";
import { FixedPace } from "../../runtime/pace/fixed-pace.ts";
import { queueDepth } from "../queues/queue-depth.ts";
import { type DeadLetterSelection, matchesSelection } from "./dead-letter-selection.ts";
import { DeadLetterSession } from "./dead-letter-session.ts";
import { buildRedriveMessage } from "./redrive-message.ts";
import { judgeForRedrive, type RedriveVerdict } from "./stale-check.ts";
import { redriveVisibilitySeconds } from "./visibility-sizing.ts";

/**
 * Moves selected dead letters back to the source queue, one at a time, in the DLQ's order:
 *   read (held) → select → judge against the ledger → send → audit line → delete.
 * Send first, delete after: a failed send leaves the dead letter where it was, and a crash
 * between the two leaves the event in both queues (the ledger then acknowledges the second
 * copy as a duplicate), never in neither. Once one dead letter of a person is left behind,
 * the rest of that person's are left too, so a person's events never overtake each other.
 */
export interface RedriveOptions {
  sqs: SQSClient;
  queueUrl: string;
  dlqUrl: string;
  /** Needed for the stale check; may be omitted only with `includeStale`. */
  ledger: LedgerReader | undefined;
  /** Where every move and skip is written; not used by a dry run. */
  audit: AuditSink | undefined;
  selection: DeadLetterSelection;
  dryRun: boolean;
  /** Redrive events the ledger calls stale or duplicate too. */
  includeStale: boolean;
  /** Messages per second at most (`--rate`). */
  ratePerSecond?: number | undefined;
  /** Aborting stops between two messages; everything not moved stays in the DLQ. */
  signal?: AbortSignal | undefined;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  onProgress?: (progress: RedriveProgress) => void;
  /** Failed sends in a row after which the run stops (SQS is likely unreachable); default 3. */
  maxConsecutiveFailures?: number;
  waitTimeSeconds?: number;
  maxReceives?: number;
}

export interface RedriveProgress {
  /** Dead letters read so far. */
  seen: number;
  /** The DLQ's approximate depth when the run began (a progress bar's total). */
  approximateDepth: number;
  outcome: RedriveOutcome | undefined;
}

export type RedriveOutcome =
  | { kind: "moved"; entry: DeadLetterEntry; newMessageId: string; forced?: "stale" | "duplicate" }
  | { kind: "would_move"; entry: DeadLetterEntry }
  | { kind: "stale"; entry: DeadLetterEntry; newestApplied: EventRef | undefined }
  | { kind: "duplicate"; entry: DeadLetterEntry }
  | { kind: "invalid"; entry: DeadLetterEntry }
  /** Sent, but still in the DLQ too (delete or audit failed): the consumer will see a duplicate. */
  | {
      kind: "moved_not_deleted";
      entry: DeadLetterEntry;
      newMessageId: string;
      cause: "audit" | "delete";
      error: string;
    }
  | { kind: "send_failed"; entry: DeadLetterEntry; error: string }
  | { kind: "check_failed"; entry: DeadLetterEntry; error: string }
  /** Not tried: an earlier dead letter of the same person was left behind in this run. */
  | { kind: "behind_failure"; entry: DeadLetterEntry };

export type RedriveStop = "interrupted" | "failures" | "audit_failed" | "truncated";

export interface RedriveReport {
  dryRun: boolean;
  outcomes: RedriveOutcome[];
  /** Dead letters read in all. */
  seen: number;
  /** Read but outside the selection (left untouched). */
  notSelected: number;
  approximateDepth: number;
  /** Why the run ended early, if it did. */
  stopped: RedriveStop | undefined;
  /** Messages that could not be released; visible again when their timeout ends. */
  unreleased: number;
}

/** Outcomes that are failures: what a partial redrive left that should have moved. */
export const FAILED_OUTCOMES = new Set<RedriveOutcome["kind"]>([
  "moved_not_deleted",
  "send_failed",
  "check_failed",
  "behind_failure",
]);

export function isPartial(report: RedriveReport): boolean {
  return report.stopped !== undefined || report.outcomes.some((o) => FAILED_OUTCOMES.has(o.kind));
}

export async function redriveDeadLetters(options: RedriveOptions): Promise<RedriveReport> {
  if (!options.includeStale && options.ledger === undefined) {
    throw new Error("a redrive without the ledger must be asked for with includeStale");
  }
  if (!options.dryRun && options.audit === undefined) {
    throw new Error("a redrive that moves messages needs an audit log");
  }
  const now = options.now ?? Date.now;
  const depth = await queueDepth(options.sqs, options.dlqUrl);
  const session = new DeadLetterSession({
    sqs: options.sqs,
    dlqUrl: options.dlqUrl,
    visibilityTimeoutSeconds: redriveVisibilitySeconds(depth.total, options.ratePerSecond),
    ...(options.waitTimeSeconds !== undefined ? { waitTimeSeconds: options.waitTimeSeconds } : {}),
    ...(options.maxReceives !== undefined ? { maxReceives: options.maxReceives } : {}),
  });
  const pace = new FixedPace({
    perSecond: options.ratePerSecond,
    now,
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  const maxConsecutiveFailures = options.maxConsecutiveFailures ?? 3;
  const report: RedriveReport = {
    dryRun: options.dryRun,
    outcomes: [],
    seen: 0,
    notSelected: 0,
    approximateDepth: depth.total,
    stopped: undefined,
    unreleased: 0,
  };
  const blockedGroups = new Set<string>();
  let consecutiveFailures = 0;

  const record = (outcome: RedriveOutcome | undefined) => {
    if (outcome !== undefined) report.outcomes.push(outcome);
    options.onProgress?.({ seen: report.seen, approximateDepth: depth.total, outcome });
  };

  try {
    for await (const entry of session.read(options.signal)) {
      if (options.signal?.aborted) break;
      report.seen += 1;
      if (!matchesSelection(entry, options.selection)) {
        report.notSelected += 1;
        record(undefined);
        continue;
      }
      const group = entry.groupId ?? entry.subject ?? "";
      if (blockedGroups.has(group)) {
        record({ kind: "behind_failure", entry });
        if (!options.dryRun)
          await options.audit?.write("skipped_behind_failure", auditFieldsOf(entry));
        continue;
      }
      const outcome = await redriveOne(entry, options, session, pace, now);
      record(outcome);
      if (FAILED_OUTCOMES.has(outcome.kind)) {
        blockedGroups.add(group);
        consecutiveFailures += 1;
      } else {
        consecutiveFailures = 0;
      }
      if (outcome.kind === "moved_not_deleted" && outcome.cause === "audit") {
        report.stopped = "audit_failed";
        break;
      }
      if (consecutiveFailures >= maxConsecutiveFailures) {
        report.stopped = "failures";
        break;
      }
    }
    if (report.stopped === undefined && options.signal?.aborted) report.stopped = "interrupted";
    if (report.stopped === undefined && session.truncated) report.stopped = "truncated";
  } finally {
    report.unreleased = (await session.release()).failed;
  }
  return report;
}

async function redriveOne(
  entry: DeadLetterEntry,
  options: RedriveOptions,
  session: DeadLetterSession,
  pace: FixedPace,
  now: () => number,
): Promise<RedriveOutcome> {
  const audit = options.dryRun ? undefined : options.audit;
  // A BambooHR signal is redriven unjudged: it is read back again, and can only restate now.
  const signal = entry.event === undefined ? readBambooHrSignal(entry.body) : undefined;
  const event = entry.event ?? signal;
  if (event === undefined) {
    // Re-sending a body that fails the schema would only dead-letter it again: it needs a
    // corrected event (`lifecycle send`), and the dead letter discarding.
    await audit?.write("skipped_invalid", auditFieldsOf(entry));
    return { kind: "invalid", entry };
  }

  let verdict: RedriveVerdict = { kind: "redrive" };
  if (options.ledger !== undefined && entry.event !== undefined) {
    const judged = entry.event;
    try {
      const person = await options.ledger.getPerson(judged.subject);
      verdict = judgeForRedrive(person, judged, { now: now(), arrivedAt: entry.arrivedAt });
    } catch (error) {
      if (options.includeStale) {
        verdict = { kind: "redrive" };
      } else {
        return { kind: "check_failed", entry, error: errorText(error, "ledger read failed") };
      }
    }
  }
  if (verdict.kind !== "redrive" && !options.includeStale) {
    const action: AuditAction = verdict.kind === "stale" ? "skipped_stale" : "skipped_duplicate";
    await audit?.write(action, {
      ...auditFieldsOf(entry),
      ...(verdict.kind === "stale" ? { newestApplied: verdict.newestApplied } : {}),
    });
    return verdict.kind === "stale"
      ? { kind: "stale", entry, newestApplied: verdict.newestApplied }
      : { kind: "duplicate", entry };
  }
  if (options.dryRun) return { kind: "would_move", entry };

  await pace.wait(options.signal);
  const redriveTime = now();
  let newMessageId: string;
  try {
    const output = await options.sqs.send(
      new SendMessageCommand(buildRedriveMessage(options.queueUrl, entry, event, redriveTime)),
    );
    newMessageId = output.MessageId ?? "";
  } catch (error) {
    const text = errorText(error, "send failed");
    await audit?.write("redrive_send_failed", { ...auditFieldsOf(entry), error: text });
    return { kind: "send_failed", entry, error: text };
  }
  const forced = verdict.kind === "redrive" ? undefined : verdict.kind;
  try {
    await audit?.write("redriven", {
      ...auditFieldsOf(entry),
      queueUrl: options.queueUrl,
      newMessageId,
      redriveCount: entry.redriveCount + 1,
      ...(forced ? { forced } : {}),
    });
  } catch (error) {
    return {
      kind: "moved_not_deleted",
      entry,
      newMessageId,
      cause: "audit",
      error: `audit log write failed (${errorText(error, "")}); the dead letter was kept`,
    };
  }
  try {
    await session.delete(entry);
  } catch (error) {
    const text = errorText(error, "delete failed");
    await audit?.write("redrive_delete_failed", {
      ...auditFieldsOf(entry),
      newMessageId,
      error: text,
    });
    return { kind: "moved_not_deleted", entry, newMessageId, cause: "delete", error: text };
  }
  return forced
    ? { kind: "moved", entry, newMessageId, forced }
    : { kind: "moved", entry, newMessageId };
}

function errorText(error: unknown, fallback: string): string {
  const described = describeError(error);
  const message = typeof described.message === "string" ? described.message : "";
  return message === "" ? fallback : message;
}
