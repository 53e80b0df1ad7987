import { userInfo } from "node:os";
import { type Command, InvalidArgumentError } from "commander";
import {
  type GuardStatus,
  readGuardStatus,
  releaseGuard,
} from "../../shared/guard/guard-operations.ts";
import type { GuardSettings } from "../../shared/guard/guard-settings.ts";
import { GuardStore } from "../../shared/guard/guard-store.ts";
import { requireSetting } from "../../shared/settings/lifecycle-settings.ts";
import { CommandFailure, UsageError } from "../cli-errors.ts";
import type { CommandContext } from "../command-context.ts";
import { confirm } from "../confirm.ts";
import { isoSeconds } from "../output/time-format.ts";
import { AUDIT_LOG_OPTION_HELP, openAuditLog } from "./audit-path.ts";
import { type CommandModule, helpAfter } from "./command-module.ts";

interface GuardFlags {
  threshold?: number;
  window?: number;
}

interface StatusFlags extends GuardFlags {
  json?: boolean;
}

interface ReleaseFlags extends GuardFlags {
  yes?: boolean;
  auditLog?: string;
}

const SETTINGS_NOTE = `The guard's window is a fixed bucket of the consumer's CONSUMER_GUARD_WINDOW_SECONDS.
A tripped guard recorded the consumer's window and threshold, and they are used; otherwise
give the consumer's settings with --threshold/--window, or the same environment variables,
when they are not the defaults (50 offboards, 3600 s).`;

/** `lifecycle guard <status|release>`: the mass-offboarding guard (README.md#safety-rails). */
export const guardCommand: CommandModule = {
  register(parent, context) {
    const guard = parent
      .command("guard")
      .description("Show or release the mass-offboarding guard (offboards held past a threshold).");
    const statusCommand = withSettingsOptions(
      guard
        .command("status")
        .description("Show the guard: state, offboards counted in the current window, threshold."),
    )
      .option("--json", "print the status as JSON")
      .action((flags: StatusFlags, self: Command) => status(flags, self, context));
    helpAfter(statusCommand, [
      "lifecycle guard status",
      "lifecycle guard status --stack HrLifecycleSync --json",
    ]);
    const releaseCommand = withSettingsOptions(
      guard
        .command("release")
        .description(
          "Re-arm a tripped guard and empty the current window's count (audit-logged); then redrive the held events.",
        ),
    )
      .option("--yes", "do not ask for confirmation (scripts)")
      .option("--audit-log <path>", AUDIT_LOG_OPTION_HELP)
      .action((flags: ReleaseFlags, self: Command) => release(flags, self, context));
    helpAfter(releaseCommand, [
      "lifecycle guard release --yes",
      "lifecycle dlq redrive --reason held_by_guard",
    ]);
    return helpAfter(
      guard,
      [
        "lifecycle guard status",
        "lifecycle guard release --yes",
        "lifecycle dlq redrive --reason held_by_guard",
      ],
      `Once tripped, the consumer sends every offboard to the DLQ with reason held_by_guard
(onboards go on). Confirm with HR that the wave is real, release the guard, then redrive
the held events. ${SETTINGS_NOTE}`,
    );
  },
};

function withSettingsOptions(command: Command): Command {
  return command
    .option(
      "--threshold <n>",
      "the consumer's CONSUMER_GUARD_THRESHOLD (default: that variable, else 50)",
      wholeNumber,
    )
    .option(
      "--window <seconds>",
      "the consumer's CONSUMER_GUARD_WINDOW_SECONDS (default: that variable, else 3600)",
      wholeNumber,
    );
}

function wholeNumber(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    throw new InvalidArgumentError("must be a whole number, 0 or more.");
  }
  return number;
}

/** Only what the operator gave: the rest comes from what the ledger recorded, then defaults. */
function settingsFrom(flags: GuardFlags, context: CommandContext): Partial<GuardSettings> {
  const fromEnv = (name: string): number | undefined => {
    const raw = context.env[name]?.trim();
    if (!raw) return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) {
      throw new UsageError(`${name} must be a whole number, 0 or more (got "${raw}").`);
    }
    return value;
  };
  const threshold = flags.threshold ?? fromEnv("CONSUMER_GUARD_THRESHOLD");
  const windowSeconds = flags.window ?? fromEnv("CONSUMER_GUARD_WINDOW_SECONDS");
  return {
    ...(threshold === undefined ? {} : { threshold }),
    ...(windowSeconds === undefined ? {} : { windowSeconds }),
  };
}

async function storeFor(self: Command, context: CommandContext) {
  const settings = await context.settings(self);
  const store = new GuardStore({
    client: context.dynamodb(settings),
    tableName: requireSetting(settings, "ledgerTable"),
  });
  return { settings, store };
}

async function status(flags: StatusFlags, self: Command, context: CommandContext): Promise<void> {
  const guardSettings = settingsFrom(flags, context);
  const { store } = await storeFor(self, context);
  const current = await readGuardStatus(store, guardSettings, context.now());
  if (flags.json) {
    context.out(JSON.stringify(current, null, 2));
    return;
  }
  for (const line of describeGuard(current)) context.out(line);
}

async function release(flags: ReleaseFlags, self: Command, context: CommandContext): Promise<void> {
  if (!flags.yes && context.io.stdin.isTTY !== true) {
    throw new UsageError(
      "Refusing to release the guard without confirmation: run it in a terminal, or pass --yes.",
    );
  }
  const guardSettings = settingsFrom(flags, context);
  const { settings, store } = await storeFor(self, context);
  const current = await readGuardStatus(store, guardSettings, context.now());
  for (const line of describeGuard(current)) context.note(line);
  if (!flags.yes) {
    const go = await confirm(
      "Release the guard (offboards apply again, and the window's count starts from 0)?",
      context.io,
    );
    if (!go) throw new CommandFailure("Cancelled: the guard was left as it was.");
  }
  const audit = await openAuditLog(context, flags.auditLog, settings.description);
  try {
    await releaseGuard({
      store,
      settings: guardSettings,
      audit,
      operator: operatorName(),
      now: context.now(),
    });
  } finally {
    await audit.close();
  }
  context.out(
    `Guard released${current.state === "tripped" ? "" : " (it was not tripped)"}; audit log ${audit.path}.`,
  );
  context.note("Next: lifecycle dlq redrive --reason held_by_guard");
}

export function describeGuard(current: GuardStatus): string[] {
  const state =
    current.state === "tripped"
      ? `TRIPPED at ${isoSeconds(current.stored.trippedAt) ?? "?"}: offboards go to the DLQ as held_by_guard`
      : current.state === "armed"
        ? "armed (offboards apply)"
        : "disabled (threshold or window is 0)";
  const lines = [`Mass-offboarding guard: ${state}`];
  if (current.windowSeconds > 0) {
    lines.push(
      `  Window:        ${isoSeconds(current.windowStart)} to ${isoSeconds(current.windowEnd)} (${current.windowSeconds} s, fixed)`,
      `  Count:         ${current.count} of ${current.threshold} offboards`,
    );
  }
  if (current.stored.releasedAt !== undefined) {
    lines.push(
      `  Last release:  ${isoSeconds(current.stored.releasedAt)} by ${current.stored.releasedBy ?? "?"}`,
    );
  }
  return lines;
}

function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}
