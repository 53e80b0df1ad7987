import type { Command } from "commander";
import { requireSetting } from "../../shared/operator/configuration/lifecycle-settings.ts";
import {
  type DiscardReport,
  discardDeadLetters,
} from "../../shared/operator/dead-letters/discard-dead-letters.ts";
import { formatTable } from "../../shared/operator/terminal/text-table.ts";
import type { DeadLetterEntry } from "../../shared/runtime/dlq/dead-letter-entry.ts";
import { CommandFailure, UsageError } from "../cli-errors.ts";
import type { CommandContext } from "../command-context.ts";
import { confirm } from "../confirm.ts";
import { listOf } from "../options/parsers.ts";
import {
  addSelectionOptions,
  filteredOrAll,
  type SelectionFlags,
} from "../options/selection-options.ts";
import { count } from "../output/time-format.ts";
import { AUDIT_LOG_OPTION_HELP, openAuditLog } from "./audit-path.ts";
import { type CommandModule, helpAfter } from "./command-module.ts";
import { FIFO_VISIBILITY_NOTE, reachNote } from "./dlq-notes.ts";
import { publishLetterOutcomes } from "./letter-outcomes.ts";

interface DiscardFlags extends SelectionFlags {
  source?: string[];
  all?: boolean;
  yes?: boolean;
  auditLog?: string;
}

export const dlqDiscardCommand: CommandModule = {
  register(parent, context) {
    const command = addSelectionOptions(
      parent
        .command("discard")
        .description(
          "Delete selected dead letters for good, each written in full to the audit log first.",
        ),
      context.now,
    )
      .option(
        "--source <source>",
        "with --id: the event's source (an event id is unique only within it); repeat or comma-separate",
        listOf(),
      )
      .option("--all", "select every dead letter (required when no filter is given)")
      .option("--yes", "do not ask for confirmation (scripts)")
      .option("--audit-log <path>", AUDIT_LOG_OPTION_HELP)
      .action((flags: DiscardFlags, self: Command) => discard(flags, self, context));
    return helpAfter(
      command,
      [
        "lifecycle dlq discard --reason invalid_event",
        "lifecycle dlq discard --id 7d0c5e7e-51c4-4a8e-a4ad-0d8e5d6f0b1a --yes",
        "lifecycle dlq discard --id 4711-1795400000 --source bamboohr --yes",
      ],
      `The command shows what it selected and asks before deleting; without a terminal it
needs --yes. Each dead letter (body, attributes) is appended to the audit log and flushed
to disk before it is deleted, so the log can rebuild it. Deleting a person's first dead
letter uncovers the next one: the command then shows and asks about those too.
An event id is unique only within its source: when --id matches dead letters of more than
one source, the command discards none of them and asks for --source.

${FIFO_VISIBILITY_NOTE}`,
    );
  },
};

async function discard(flags: DiscardFlags, self: Command, context: CommandContext): Promise<void> {
  if (flags.source !== undefined && (flags.id ?? []).length === 0) {
    throw new UsageError("--source says whose event --id names: give it with --id.");
  }
  const selection = { ...filteredOrAll(flags, "discard"), sources: flags.source };
  if (!flags.yes && context.io.stdin.isTTY !== true) {
    throw new UsageError(
      "Refusing to discard without confirmation: run it in a terminal, or pass --yes.",
    );
  }
  const settings = await context.settings(self);
  const dlqUrl = requireSetting(settings, "dlqUrl");
  const audit = await openAuditLog(context, flags.auditLog, settings.description);
  let report: DiscardReport;
  try {
    report = await discardDeadLetters({
      sqs: context.sqs(settings),
      dlqUrl,
      audit,
      selection,
      signal: context.io.signal,
      confirm: async (entries, round) => {
        context.note(
          `${round > 1 ? "Uncovered behind the ones just discarded: " : ""}${count(entries.length, "dead letter")} selected:`,
        );
        context.note(describe(entries));
        if (flags.yes) return true;
        return confirm(`Discard ${count(entries.length, "dead letter")} for good?`, context.io);
      },
    });
  } finally {
    await audit.close();
  }
  await publishLetterOutcomes(context, settings, report.discarded, "discarded");
  const [ambiguous] = report.idsAcrossSources;
  if (ambiguous !== undefined) {
    throw new UsageError(
      `--id ${ambiguous.id} matches dead letters of ${ambiguous.sources.length} sources (${ambiguous.sources.join(", ")}): say which with --source; nothing was discarded${report.discarded.length > 0 ? ` after the ${report.discarded.length} already discarded` : ""}.`,
    );
  }
  if (report.discarded.length > 0 || !report.cancelled) {
    context.out(
      `${count(report.discarded.length, "dead letter")} discarded; audit log ${audit.path}.`,
    );
  }
  const note = reachNote(report);
  if (note) context.note(note);
  if (report.cancelled) {
    throw new CommandFailure(
      `Cancelled: ${report.discarded.length > 0 ? `${report.discarded.length} discarded before that, ` : ""}the rest was left in the DLQ.`,
    );
  }
  if (report.failed.length > 0 || report.stopped === "interrupted") {
    throw new CommandFailure(
      `Discard incomplete: ${count(report.failed.length, "delete")} failed${report.stopped === "interrupted" ? ", and it was interrupted" : ""}; what was not deleted is still in the DLQ (the audit log says which).`,
      { detail: report.failed.map((f) => `${f.entry.messageId}: ${f.error}`).join("\n") },
    );
  }
}

function describe(entries: readonly DeadLetterEntry[]): string {
  return formatTable(
    ["EVENT ID", "SUBJECT", "TYPE", "REASON", "TARGET", "MESSAGE ID"],
    entries.map((entry) => [
      entry.eventId,
      entry.subject ?? entry.groupId,
      entry.type,
      entry.failure.reason,
      entry.failure.target,
      entry.messageId,
    ]),
  );
}
