import type { Command } from "commander";
import {
  type LifecycleSettings,
  requireSetting,
} from "../../shared/operator/configuration/lifecycle-settings.ts";
import {
  FAILED_OUTCOMES,
  isPartial,
  type RedriveOutcome,
  type RedriveReport,
  redriveDeadLetters,
} from "../../shared/operator/dead-letters/redrive-dead-letters.ts";
import { formatTable } from "../../shared/operator/terminal/text-table.ts";
import type { AuditLog } from "../../shared/runtime/audit/audit-log.ts";
import type { DeadLetterEntry } from "../../shared/runtime/dlq/dead-letter-entry.ts";
import { CommandFailure, UsageError } from "../cli-errors.ts";
import type { CommandContext } from "../command-context.ts";
import { positiveNumber } from "../options/parsers.ts";
import {
  addSelectionOptions,
  filteredOrAll,
  type SelectionFlags,
} from "../options/selection-options.ts";
import { createProgress } from "../output/progress.ts";
import { count, isoSeconds } from "../output/time-format.ts";
import { AUDIT_LOG_OPTION_HELP, openAuditLog } from "./audit-path.ts";
import { type CommandModule, helpAfter } from "./command-module.ts";
import { FIFO_VISIBILITY_NOTE, reachNote } from "./dlq-notes.ts";
import { type NativeRedriveFlags, redriveNatively } from "./dlq-redrive-native.ts";
import { publishLetterOutcomes } from "./letter-outcomes.ts";

interface RedriveFlags extends SelectionFlags, NativeRedriveFlags {
  all?: boolean;
  includeStale?: boolean;
  native?: boolean;
}

export const dlqRedriveCommand: CommandModule = {
  register(parent, context) {
    const command = addSelectionOptions(
      parent
        .command("redrive")
        .description(
          "Move selected dead letters back to the source queue, skipping events the ledger says were superseded.",
        ),
      context.now,
    )
      .option("--all", "select every dead letter (required when no filter is given)")
      .option("--dry-run", "print what would move and what would be skipped; move nothing")
      .option("--include-stale", "also redrive events a newer applied event superseded")
      .option("--rate <n>", "at most N messages per second", positiveNumber)
      .option("--audit-log <path>", AUDIT_LOG_OPTION_HELP)
      .option(
        "--native",
        "with --all: let SQS move everything (StartMessageMoveTask); no stale pre-check",
      )
      .option("--json", "print the report as JSON")
      .action((flags: RedriveFlags, self: Command) => redrive(flags, self, context));
    return helpAfter(
      command,
      [
        "lifecycle dlq redrive --reason retries_exhausted --since 2h --dry-run",
        "lifecycle dlq redrive --id 7d0c5e7e-51c4-4a8e-a4ad-0d8e5d6f0b1a",
        "lifecycle dlq redrive --all --rate 5 --stack HrLifecycleSync",
        "lifecycle dlq redrive --all --native --stack HrLifecycleSync",
      ],
      `Each dead letter is checked against the ledger first: one superseded by a newer applied
event of the same person (say an offboard that failed before a rehire was applied) is
skipped as stale, and one already applied as a duplicate; --include-stale moves them anyway.
Events held by the mass-offboarding guard (held_by_guard) are not stale for being held.
The event is sent first and the dead letter deleted after: a failed send leaves it in the
DLQ (and the person's later dead letters with it), and the command exits 1 saying what was
left. The redriven message keeps the person's group, gets a fresh deduplication id, and
carries only lifecycle.redrive.count (the failure history is in the audit log and ledger).
Every move and skip is appended to the audit log. Ctrl-C stops after the current message.

--native hands the whole DLQ to SQS (StartMessageMoveTask, destination = the source queue,
--rate up to 500/s), shows its progress and cancels it on Ctrl-C. It skips the stale
pre-check: the consumer's ledger still refuses stale events, so nothing superseded is
re-applied, but they are counted as stale instead of staying in the DLQ. Moved messages keep
their failure attributes and do not count a redrive.

${FIFO_VISIBILITY_NOTE}`,
    );
  },
};

async function redrive(flags: RedriveFlags, self: Command, context: CommandContext): Promise<void> {
  const selection = filteredOrAll(flags, "redrive");
  if (flags.native) {
    if (!flags.all) throw new UsageError("--native moves the whole DLQ: it needs --all.");
    if (flags.rate !== undefined && flags.rate > 500) {
      throw new UsageError("--rate with --native is at most 500 messages per second.");
    }
    return redriveNatively(flags, self, context);
  }

  const settings = await context.settings(self);
  const queueUrl = requireSetting(settings, "queueUrl");
  const dlqUrl = requireSetting(settings, "dlqUrl");
  const ledger =
    flags.includeStale && settings.ledgerTable === undefined ? undefined : context.ledger(settings);
  const audit = flags.dryRun
    ? undefined
    : await openAuditLog(context, flags.auditLog, settings.description);
  const progress = createProgress(context.io.stderr, flags.dryRun ? "Checking" : "Redriving");
  const tally = new Map<string, number>();
  let report: RedriveReport;
  try {
    report = await redriveDeadLetters({
      sqs: context.sqs(settings),
      queueUrl,
      dlqUrl,
      ledger,
      audit,
      selection,
      dryRun: flags.dryRun === true,
      includeStale: flags.includeStale === true,
      ratePerSecond: flags.rate,
      signal: context.io.signal,
      now: context.now,
      onProgress: ({ seen, approximateDepth, outcome }) => {
        if (outcome) tally.set(outcome.kind, (tally.get(outcome.kind) ?? 0) + 1);
        progress.update(seen, approximateDepth, tallyText(tally));
      },
    });
  } finally {
    progress.stop();
    await audit?.close();
  }
  await publishLetterOutcomes(context, settings, redrivenEntries(report), "redriven");
  printRedriveReport(report, flags, context);
  const partial = partialRedriveMessage(report, audit, settings);
  if (partial) throw new CommandFailure(partial.message, { detail: partial.detail });
}

/** The dead letters a redrive sent back to the source queue. */
export function redrivenEntries(report: RedriveReport): DeadLetterEntry[] {
  return report.outcomes.flatMap((outcome) =>
    outcome.kind === "moved" || outcome.kind === "moved_not_deleted" ? [outcome.entry] : [],
  );
}

export function printRedriveReport(
  report: RedriveReport,
  flags: Pick<RedriveFlags, "json">,
  context: CommandContext,
): void {
  if (flags.json) {
    context.out(JSON.stringify(reportJson(report), null, 2));
  } else if (report.outcomes.length > 0) {
    context.out(
      formatTable(
        ["ACTION", "EVENT ID", "SUBJECT", "TYPE", "REASON", "NOTE"],
        report.outcomes.map((outcome) => [
          ACTION_LABEL[outcome.kind],
          outcome.entry.eventId,
          outcome.entry.subject ?? outcome.entry.groupId,
          outcome.entry.type,
          outcome.entry.failure.reason,
          noteOf(outcome),
        ]),
        { maxCellWidth: 60 },
      ),
    );
  }
  const done = report.dryRun ? "would move" : "moved";
  const moved = report.outcomes.filter((o) => o.kind === "moved" || o.kind === "would_move");
  const parts = [
    `${count(moved.length, "dead letter")} ${done}`,
    ...skipParts(report.outcomes),
    ...(report.notSelected > 0 ? [`${report.notSelected} not selected`] : []),
  ];
  context.note(`${report.dryRun ? "Dry run: " : ""}${parts.join("; ")}.`);
  const note = reachNote(report);
  if (note) context.note(note);
}

function skipParts(outcomes: readonly RedriveOutcome[]): string[] {
  const n = (kind: RedriveOutcome["kind"]) => outcomes.filter((o) => o.kind === kind).length;
  const parts: string[] = [];
  if (n("stale") > 0) parts.push(`${n("stale")} skipped as stale (a newer event was applied)`);
  if (n("duplicate") > 0) parts.push(`${n("duplicate")} skipped as already applied`);
  if (n("invalid") > 0) {
    parts.push(`${n("invalid")} skipped as invalid (fix and send them again, then discard)`);
  }
  return parts;
}

export function partialRedriveMessage(
  report: RedriveReport,
  audit: AuditLog | undefined,
  settings: LifecycleSettings,
): { message: string; detail: string } | undefined {
  if (!isPartial(report)) return undefined;
  const failed = report.outcomes.filter((o) => FAILED_OUTCOMES.has(o.kind));
  const left = failed.filter((o) => o.kind !== "moved_not_deleted").length;
  const doubled = failed.filter((o) => o.kind === "moved_not_deleted").length;
  const why: Record<NonNullable<RedriveReport["stopped"]>, string> = {
    interrupted: "it was interrupted",
    failures: "several sends failed in a row",
    audit_failed: "the audit log could not be written",
    truncated: "reading stopped at its bound",
  };
  const reasons = [
    ...(report.stopped ? [why[report.stopped]] : []),
    ...(failed.length > 0 ? [`${failed.length} could not be moved`] : []),
  ];
  const leftText = [
    `${count(left, "dead letter")} left in the DLQ`,
    ...(doubled > 0
      ? [`${doubled} sent but not deleted from the DLQ (the ledger will skip the second copy)`]
      : []),
    ...(report.stopped && report.stopped !== "truncated" ? ["the rest not tried"] : []),
  ];
  const errors = failed.flatMap((o) =>
    "error" in o ? [`${o.entry.eventId ?? o.entry.messageId}: ${o.error}`] : [],
  );
  return {
    message: `Redrive incomplete (${reasons.join(", ")}): ${leftText.join(", ")}. Run the same command again once the cause is fixed${audit ? `; every step is in ${audit.path}` : ""}.`,
    detail: [`environment: ${settings.description}`, ...errors].join("\n"),
  };
}

const ACTION_LABEL: Record<RedriveOutcome["kind"], string> = {
  moved: "moved",
  would_move: "would move",
  stale: "stale, skipped",
  duplicate: "applied, skipped",
  invalid: "invalid, skipped",
  moved_not_deleted: "sent, NOT deleted",
  send_failed: "send FAILED",
  check_failed: "check FAILED",
  behind_failure: "left (behind a failure)",
};

function noteOf(outcome: RedriveOutcome): string | undefined {
  switch (outcome.kind) {
    case "moved":
      return `message ${outcome.newMessageId}${outcome.forced ? ` (forced: ${outcome.forced})` : ""}`;
    case "stale":
      return outcome.newestApplied
        ? `newer ${outcome.newestApplied.type} of ${isoSeconds(outcome.newestApplied.time)} applied`
        : "the event it corrects is no longer the newest applied";
    case "invalid":
      return outcome.entry.problems?.[0]
        ? `${outcome.entry.problems[0].path} ${outcome.entry.problems[0].message}`
        : undefined;
    case "moved_not_deleted":
    case "send_failed":
    case "check_failed":
      return outcome.error;
    default:
      return undefined;
  }
}

function tallyText(tally: ReadonlyMap<string, number>): string {
  return [...tally.entries()].map(([kind, n]) => `${kind} ${n}`).join(", ") || "reading";
}

function reportJson(report: RedriveReport) {
  return {
    dryRun: report.dryRun,
    seen: report.seen,
    notSelected: report.notSelected,
    approximateDepth: report.approximateDepth,
    stopped: report.stopped ?? null,
    partial: isPartial(report),
    outcomes: report.outcomes.map((outcome) => ({
      action: outcome.kind,
      messageId: outcome.entry.messageId,
      eventId: outcome.entry.eventId,
      subject: outcome.entry.subject,
      type: outcome.entry.type,
      reason: outcome.entry.failure.reason,
      ...("newMessageId" in outcome ? { newMessageId: outcome.newMessageId } : {}),
      ...("error" in outcome ? { error: outcome.error } : {}),
      ...(outcome.kind === "stale" ? { newestApplied: outcome.newestApplied } : {}),
      ...(outcome.kind === "moved" && outcome.forced ? { forced: outcome.forced } : {}),
    })),
  };
}
