import { userInfo } from "node:os";
import type { Command } from "commander";
import { requireSetting } from "../../shared/operator/configuration/lifecycle-settings.ts";
import { listDeadLetters } from "../../shared/operator/dead-letters/list-dead-letters.ts";
import {
  type RedriveReport,
  redriveDeadLetters,
} from "../../shared/operator/dead-letters/redrive-dead-letters.ts";
import {
  type GuardStatus,
  HELD_BY_GUARD,
  type HeldPerson,
  heldPeopleOf,
  readGuardStatus,
  releaseGuard,
} from "../../shared/operator/guard/guard-operations.ts";
import { formatTable } from "../../shared/operator/terminal/text-table.ts";
import { GuardStore } from "../../shared/runtime/guard/guard-store.ts";
import { CommandFailure, UsageError } from "../cli-errors.ts";
import type { CommandContext } from "../command-context.ts";
import { confirm } from "../confirm.ts";
import { listOf } from "../options/parsers.ts";
import { count, isoSeconds } from "../output/time-format.ts";
import { AUDIT_LOG_OPTION_HELP, openAuditLog } from "./audit-path.ts";
import { type CommandModule, helpAfter } from "./command-module.ts";
import { reachNote } from "./dlq-notes.ts";
import { partialRedriveMessage, printRedriveReport, redrivenEntries } from "./dlq-redrive.ts";
import { publishLetterOutcomes } from "./letter-outcomes.ts";

interface StatusFlags {
  json?: boolean;
}

interface ReleaseFlags {
  yes?: boolean;
  auditLog?: string;
  redrive?: boolean;
  subject?: string[];
  json?: boolean;
}

/** `lifecycle guard <status|release>`: the mass-offboarding guard (README.md#safety-rails). */
export const guardCommand: CommandModule = {
  register(parent, context) {
    const guard = parent
      .command("guard")
      .description("Show or release the mass-offboarding guard (offboards held past a threshold).");
    const statusCommand = guard
      .command("status")
      .description(
        "Show the guard: state, the consumer's threshold and window, the window's count, and the people it holds.",
      )
      .option("--json", "print the status as JSON")
      .action((flags: StatusFlags, self: Command) => status(flags, self, context));
    helpAfter(statusCommand, [
      "lifecycle guard status",
      "lifecycle guard status --stack HrLifecycleSync --json",
    ]);
    const releaseCommand = guard
      .command("release")
      .description(
        "Re-arm a tripped guard and empty the current window's count (audit-logged); with --redrive, redrive the held events in the same step.",
      )
      .option("--redrive", "also redrive the held_by_guard dead letters (stale-checked)")
      .option(
        "--subject <subject>",
        "with --redrive: only this person's; repeat or comma-separate",
        listOf(),
      )
      .option("--yes", "do not ask for confirmation (scripts)")
      .option("--audit-log <path>", AUDIT_LOG_OPTION_HELP)
      .option("--json", "with --redrive: print the redrive report as JSON")
      .action((flags: ReleaseFlags, self: Command) => release(flags, self, context));
    helpAfter(releaseCommand, [
      "lifecycle guard release --redrive --yes",
      "lifecycle guard release --redrive --subject emp-42 --subject emp-43",
      "lifecycle dlq discard --reason held_by_guard",
    ]);
    return helpAfter(
      guard,
      [
        "lifecycle guard status",
        "lifecycle guard release --redrive",
        "lifecycle guard release --redrive --subject emp-42",
      ],
      `Once tripped, the consumer sends every offboard to the DLQ with reason held_by_guard
(onboards go on). Onboards that would enable someone have their own count and trip
(CONSUMER_GUARD_ONBOARD_THRESHOLD), holding onboards only. Confirm with HR that the wave is real, then release the guard and redrive
the held events in one step (--redrive), or only the people HR approves (--subject), and
discard the rest with \`lifecycle dlq discard --reason held_by_guard\`. The threshold and
window shown are those the consumer recorded in the ledger at its last cold start.`,
    );
  },
};

async function storeFor(self: Command, context: CommandContext) {
  const settings = await context.settings(self);
  const store = new GuardStore({
    client: context.dynamodb(settings),
    tableName: requireSetting(settings, "ledgerTable"),
  });
  return { settings, store };
}

async function status(flags: StatusFlags, self: Command, context: CommandContext): Promise<void> {
  const { settings, store } = await storeFor(self, context);
  const current = await readGuardStatus(store, context.now());
  const listing = await listDeadLetters({
    sqs: context.sqs(settings),
    dlqUrl: requireSetting(settings, "dlqUrl"),
    selection: { reasons: [HELD_BY_GUARD] },
    signal: context.io.signal,
  });
  const held = heldPeopleOf(listing.entries);
  if (flags.json) {
    context.out(JSON.stringify({ ...current, held }, null, 2));
  } else {
    for (const line of describeGuard(current)) context.out(line);
    context.out(describeHeld(held));
  }
  const note = reachNote(listing);
  if (note) context.note(note);
}

async function release(flags: ReleaseFlags, self: Command, context: CommandContext): Promise<void> {
  if (flags.subject !== undefined && !flags.redrive) {
    throw new UsageError("--subject names whose held events to redrive: give it with --redrive.");
  }
  if (!flags.yes && context.io.stdin.isTTY !== true) {
    throw new UsageError(
      "Refusing to release the guard without confirmation: run it in a terminal, or pass --yes.",
    );
  }
  const { settings, store } = await storeFor(self, context);
  const current = await readGuardStatus(store, context.now());
  for (const line of describeGuard(current)) context.note(line);
  const whose = flags.subject ? ` of ${flags.subject.join(", ")}` : "";
  if (!flags.yes) {
    const go = await confirm(
      `Release the guard (offboards apply again, and the window's count starts from 0)${flags.redrive ? ` and redrive the held events${whose}` : ""}?`,
      context.io,
    );
    if (!go) throw new CommandFailure("Cancelled: the guard was left as it was.");
  }
  const audit = await openAuditLog(context, flags.auditLog, settings.description);
  let report: RedriveReport | undefined;
  try {
    await releaseGuard({
      store,
      audit,
      operator: operatorName(),
      now: context.now(),
      redrive: flags.redrive ? { subjects: flags.subject } : undefined,
    });
    context.note(
      `Guard released${current.state === "tripped" ? "" : " (it was not tripped)"}; audit log ${audit.path}.`,
    );
    if (flags.redrive) {
      report = await redriveDeadLetters({
        sqs: context.sqs(settings),
        queueUrl: requireSetting(settings, "queueUrl"),
        dlqUrl: requireSetting(settings, "dlqUrl"),
        ledger: context.ledger(settings),
        audit,
        selection: { reasons: [HELD_BY_GUARD], subjects: flags.subject },
        dryRun: false,
        includeStale: false,
        signal: context.io.signal,
        now: context.now,
      });
    }
  } finally {
    await audit.close();
  }
  if (report === undefined) {
    context.out("Guard released.");
    context.note(
      "Next: lifecycle dlq redrive --reason held_by_guard (or guard release --redrive next time)",
    );
    return;
  }
  await publishLetterOutcomes(context, settings, redrivenEntries(report), "redriven");
  printRedriveReport(report, { json: flags.json }, context);
  const partial = partialRedriveMessage(report, audit, settings);
  if (partial) throw new CommandFailure(partial.message, { detail: partial.detail });
}

function describeHeld(held: readonly HeldPerson[]): string {
  if (held.length === 0) return "Held: nobody (no held_by_guard dead letter)";
  return [
    `Held: ${count(held.length, "person", "people")}`,
    formatTable(
      ["SUBJECT", "EVENT ID", "EVENT TIME", "HELD SINCE"],
      held.map((person) => [
        person.subject,
        person.eventId,
        person.eventTime,
        isoSeconds(person.heldSince),
      ]),
    ),
  ].join("\n");
}

export function describeGuard(current: GuardStatus): string[] {
  const state =
    current.state === "tripped"
      ? `TRIPPED at ${isoSeconds(current.stored.trippedAt) ?? "?"}: offboards go to the DLQ as held_by_guard`
      : current.state === "armed"
        ? "armed (offboards apply)"
        : "disabled (threshold or window is 0)";
  const lines = [`Mass-offboarding guard: ${state}`];
  lines.push(
    `  Settings:      ${current.threshold} offboards per ${current.windowSeconds} s (${SETTINGS_FROM[current.settingsFrom]})`,
  );
  if (current.windowSeconds > 0) {
    lines.push(
      `  Window:        ${isoSeconds(current.windowStart)} to ${isoSeconds(current.windowEnd)} (fixed)`,
      `  Count:         ${current.count} of ${current.threshold} offboards`,
    );
  }
  const { onboards } = current;
  lines.push(
    `  Onboards:      ${
      onboards.state === "tripped"
        ? `TRIPPED at ${isoSeconds(onboards.trippedAt) ?? "?"}: onboards that would enable someone go to the DLQ as held_by_guard`
        : onboards.state === "armed"
          ? "armed (onboards apply)"
          : "not counted (threshold or window is 0)"
    }`,
  );
  if (current.windowSeconds > 0 && onboards.threshold > 0) {
    lines.push(`  Onboard count: ${onboards.count} of ${onboards.threshold} onboards`);
  }
  if (current.stored.releasedAt !== undefined) {
    lines.push(
      `  Last release:  ${isoSeconds(current.stored.releasedAt)} by ${current.stored.releasedBy ?? "?"}`,
    );
  }
  return lines;
}

const SETTINGS_FROM: Record<GuardStatus["settingsFrom"], string> = {
  consumer: "as the consumer recorded them",
  tripped: "as the guard tripped with them; the consumer recorded none",
  default: "the defaults: no consumer has recorded its settings yet",
};

function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}
