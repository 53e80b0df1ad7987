import type { Command } from "commander";
import { requireSetting } from "../../shared/operator/configuration/lifecycle-settings.ts";
import { listDeadLetters } from "../../shared/operator/dead-letters/list-dead-letters.ts";
import { formatTable } from "../../shared/operator/terminal/text-table.ts";
import { type DeadLetterEntry, failedAt } from "../../shared/runtime/dlq/dead-letter-entry.ts";
import type { CommandContext } from "../command-context.ts";
import {
  addSelectionOptions,
  type SelectionFlags,
  selectionFrom,
} from "../options/selection-options.ts";
import { count, formatAge, isoSeconds } from "../output/time-format.ts";
import { type CommandModule, helpAfter } from "./command-module.ts";
import { FIFO_VISIBILITY_NOTE, reachNote } from "./dlq-notes.ts";

interface ListFlags extends SelectionFlags {
  json?: boolean;
}

export const dlqListCommand: CommandModule = {
  register(parent, context) {
    const command = addSelectionOptions(
      parent
        .command("list")
        .description("Show the dead letters: why each failed, where, and how long ago."),
      context.now,
    )
      .option("--json", "print JSON (one object per dead letter, with the body)")
      .action((flags: ListFlags, self: Command) => list(flags, self, context));
    return helpAfter(
      command,
      [
        "lifecycle dlq list",
        "lifecycle dlq list --reason not_found,version_conflict --since 6h",
        "lifecycle dlq list --subject emp-42 --json --stack HrLifecycleSync",
      ],
      FIFO_VISIBILITY_NOTE,
    );
  },
};

async function list(flags: ListFlags, self: Command, context: CommandContext): Promise<void> {
  const settings = await context.settings(self);
  const listing = await listDeadLetters({
    sqs: context.sqs(settings),
    dlqUrl: requireSetting(settings, "dlqUrl"),
    selection: selectionFrom(flags),
    signal: context.io.signal,
  });
  const now = context.now();
  if (flags.json) {
    context.out(
      JSON.stringify(
        listing.entries.map((entry) => asJson(entry, now)),
        null,
        2,
      ),
    );
  } else if (listing.entries.length > 0) {
    context.out(
      formatTable(
        [
          "EVENT ID",
          "SUBJECT",
          "TYPE",
          "EVENT TIME",
          "REASON",
          "TARGET",
          "HTTP",
          "ATTEMPTS",
          "AGE",
        ],
        listing.entries.map((entry) => [
          entry.eventId,
          entry.subject ?? entry.groupId,
          entry.type,
          entry.eventTime,
          entry.failure.reason,
          entry.failure.target,
          entry.failure.status,
          entry.failure.attempts,
          formatAge(ageOf(entry, now)),
        ]),
      ),
    );
  }
  context.note(
    `${count(listing.entries.length, "dead letter")} listed${listing.seen !== listing.entries.length ? ` (of ${listing.seen} read)` : ""}.`,
  );
  const note = reachNote(listing);
  if (note) context.note(note);
}

function ageOf(entry: DeadLetterEntry, now: number): number | undefined {
  const at = failedAt(entry);
  return at === undefined ? undefined : now - at;
}

function asJson(entry: DeadLetterEntry, now: number) {
  const age = ageOf(entry, now);
  return {
    messageId: entry.messageId,
    groupId: entry.groupId,
    eventId: entry.eventId,
    subject: entry.subject,
    type: entry.type,
    eventTime: entry.eventTime,
    valid: entry.event !== undefined,
    reason: entry.failure.reason,
    target: entry.failure.target,
    status: entry.failure.status,
    detail: entry.failure.detail,
    attempts: entry.failure.attempts,
    failedAt: isoSeconds(failedAt(entry)),
    ageSeconds: age === undefined ? undefined : Math.floor(age / 1000),
    redriveCount: entry.redriveCount,
    sourceMessageId: entry.failure.sourceMessageId,
    sequenceNumber: entry.sequenceNumber,
    body: entry.body,
  };
}
