import type { Command } from "commander";
import { ScheduleCancelRefusedError } from "../../shared/operator/errors/schedule-cancel-refused-error.ts";
import {
  cancelScheduledChange,
  listScheduledChanges,
  pickPendingChange,
} from "../../shared/operator/schedule/schedule-operations.ts";
import { formatTable } from "../../shared/operator/terminal/text-table.ts";
import { ServerClock } from "../../shared/runtime/aws/server-clock.ts";
import { ClockSkewError } from "../../shared/runtime/errors/clock-skew-error.ts";
import type { PendingChange } from "../../shared/runtime/ledger/person-record.ts";
import { CommandFailure, UsageError } from "../cli-errors.ts";
import type { CommandContext } from "../command-context.ts";
import { confirm } from "../confirm.ts";
import { parseWhen, subjectArgument } from "../options/parsers.ts";
import { count, isoSeconds } from "../output/time-format.ts";
import { AUDIT_LOG_OPTION_HELP, openAuditLog } from "./audit-path.ts";
import { type CommandModule, helpAfter } from "./command-module.ts";

interface ListFlags {
  dueBefore?: string;
  json?: boolean;
}

interface CancelFlags {
  source?: string;
  yes?: boolean;
  auditLog?: string;
}

/** `lifecycle schedule <list|cancel>`: scheduled changes (docs/cli.md#lifecycle-schedule). */
export const scheduleCommand: CommandModule = {
  register(parent, context) {
    const schedule = parent
      .command("schedule")
      .description("List or cancel scheduled changes (events whose data.effectiveAt is ahead).");
    const list = schedule
      .command("list")
      .description("List pending scheduled changes, soonest first.")
      .option("--due-before <when>", "only those taking effect by then: RFC 3339, or +3d / +12h")
      .option("--json", "print the changes as JSON")
      .action((flags: ListFlags, self: Command) => listChanges(flags, self, context));
    helpAfter(list, ["lifecycle schedule list", "lifecycle schedule list --due-before +7d --json"]);
    const cancel = schedule
      .command("cancel")
      .description(
        "Cancel one of a person's scheduled changes (audit-logged); its event is never applied.",
      )
      .argument("<subject>", "the person key (the events' subject)", subjectArgument)
      .argument("[event-id]", "the change's event id (needed when the person has several)")
      .option("--source <source>", "the change's event source, when two sources share the id")
      .option("--yes", "do not ask for confirmation (scripts)")
      .option("--audit-log <path>", AUDIT_LOG_OPTION_HELP)
      .action((subject: string, eventId: string | undefined, flags: CancelFlags, self: Command) =>
        cancelChange(subject, eventId, flags, self, context),
      );
    helpAfter(cancel, [
      "lifecycle schedule cancel emp-42",
      "lifecycle schedule cancel emp-42 evt-0042 --yes",
    ]);
    return helpAfter(
      schedule,
      ["lifecycle schedule list", "lifecycle schedule cancel emp-42"],
      `An event whose data.effectiveAt is later than now is recorded on the person's ledger item
and applied when it falls due. A person may have several; a newer event cancels those taking
effect at or after its own (an onboard now cancels a scheduled offboard), and leaves earlier
ones in place (docs/consumer.md#the-timeline-rule). Send one with:
lifecycle send --effective-at +3d ...`,
    );
  },
};

async function listChanges(
  flags: ListFlags,
  self: Command,
  context: CommandContext,
): Promise<void> {
  const dueBefore =
    flags.dueBefore === undefined
      ? undefined
      : parseOption("--due-before", flags.dueBefore, context);
  const settings = await context.settings(self);
  const changes = await listScheduledChanges(context.ledger(settings), dueBefore);
  if (flags.json) {
    context.out(JSON.stringify(changes, null, 2));
    return;
  }
  if (changes.length === 0) {
    context.out("No scheduled changes.");
    return;
  }
  context.out(
    formatTable(
      ["EFFECTIVE AT", "SUBJECT", "TYPE", "STATE", "EVENT ID", "SOURCE", "SCHEDULED AT"],
      changes.map((change) => [
        isoSeconds(change.effectiveAt),
        change.subject,
        change.type,
        change.state,
        change.id,
        change.source,
        isoSeconds(change.scheduledAt),
      ]),
    ),
  );
  context.note(count(changes.length, "scheduled change"));
}

async function cancelChange(
  subject: string,
  eventId: string | undefined,
  flags: CancelFlags,
  self: Command,
  context: CommandContext,
): Promise<void> {
  if (!flags.yes && context.io.stdin.isTTY !== true) {
    throw new UsageError(
      "Refusing to cancel without confirmation: run it in a terminal, or pass --yes.",
    );
  }
  const settings = await context.settings(self);
  const client = context.dynamodb(settings);
  const serverClock = ServerClock.watch(client, context.now);
  const ledger = context.ledger(settings, client);
  const named = { eventId, source: flags.source };
  let change: PendingChange;
  try {
    change = pickPendingChange(
      (await ledger.getPerson(subject))?.pendingChanges ?? [],
      subject,
      named,
    );
  } catch (error) {
    if (error instanceof ScheduleCancelRefusedError) throw new CommandFailure(error.message);
    throw error;
  }
  context.note(
    `${subject}: ${change.type} (event ${change.id} from ${change.source}) takes effect ${isoSeconds(change.effectiveAt)}.`,
  );
  if (!flags.yes && !(await confirm("Cancel it for good?", context.io))) {
    throw new CommandFailure("Cancelled: the scheduled change was left as it was.");
  }
  const audit = await openAuditLog(context, flags.auditLog, settings.description);
  try {
    await cancelScheduledChange({
      ledger,
      subject,
      eventId: change.id,
      source: change.source,
      operator: audit.operator,
      audit,
      now: context.now(),
      serverClock,
    });
  } catch (error) {
    if (error instanceof ScheduleCancelRefusedError || error instanceof ClockSkewError) {
      throw new CommandFailure(error.message);
    }
    throw error;
  } finally {
    await audit.close();
  }
  context.out(
    `Scheduled ${change.type} of ${subject} effective ${isoSeconds(change.effectiveAt)} (event ${change.id} from ${change.source}) cancelled; audit log ${audit.path}.`,
  );
}

function parseOption(name: string, value: string, context: CommandContext): number {
  try {
    return parseWhen(value, context.now());
  } catch (error) {
    throw new UsageError(`${name} ${(error as Error).message}`);
  }
}
