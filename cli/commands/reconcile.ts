import type { Command } from "commander";
import type { LifecycleSettings } from "../../shared/operator/configuration/lifecycle-settings.ts";
import { requireSetting } from "../../shared/operator/configuration/lifecycle-settings.ts";
import { formatTable } from "../../shared/operator/terminal/text-table.ts";
import { SUBJECT_PATTERN } from "../../shared/runtime/events/event-field-rules.ts";
import {
  type ReconcileReport,
  reconcileDrift,
} from "../../shared/runtime/reconcile/reconcile-drift.ts";
import { sendCorrectiveEvents } from "../../shared/runtime/reconcile/send-corrective-events.ts";
import { CommandFailure, UsageError } from "../cli-errors.ts";
import type { CommandContext } from "../command-context.ts";
import { confirm } from "../confirm.ts";
import { positiveNumber } from "../options/parsers.ts";
import { count } from "../output/time-format.ts";
import { type PlatformAccess, platformClientsFor, withPlatformAccess } from "../platform-access.ts";
import { AUDIT_LOG_OPTION_HELP, openAuditLog } from "./audit-path.ts";
import { type CommandModule, helpAfter } from "./command-module.ts";
import { registerReconcileStatus } from "./reconcile-status.ts";

interface ReconcileFlags {
  subject?: string;
  apply?: boolean;
  yes?: boolean;
  json?: boolean;
  concurrency?: number;
  rate?: number;
  auditLog?: string;
}

/** `lifecycle reconcile`: drift between the ledger and the platforms (README.md#safety-rails). */
export const reconcileCommand: CommandModule = {
  register(parent, context) {
    const command = parent
      .command("reconcile")
      .description(
        "Compare what the ledger says each person should be with what both platforms say; --apply enqueues corrective events.",
      )
      .option("--subject <subject>", "only this person")
      .option(
        "--apply",
        "enqueue a corrective event per drifted person (through the queue; never a direct write)",
      )
      .option("--yes", "with --apply: do not ask for confirmation (scripts)")
      .option("--json", "print the report as JSON")
      .option("--concurrency <n>", "people read at once (default 4)", positiveNumber)
      .option("--rate <n>", "platform reads per second at most (default 10)", positiveNumber)
      .option("--audit-log <path>", AUDIT_LOG_OPTION_HELP)
      .action((flags: ReconcileFlags, self: Command) => reconcile(flags, self, context));
    registerReconcileStatus(command, context);
    return helpAfter(
      command,
      [
        "lifecycle reconcile",
        "lifecycle reconcile --subject emp-42 --json",
        "lifecycle reconcile --apply --yes",
        "lifecycle reconcile status",
      ],
      `Platforms: ACCOUNT_PLATFORM_URL and OSIS_URL (+ OSIS_BASE_PATH), else the local stack file,
else with --stack the stack's AccountPlatformUrl and OsisUrl outputs.
Credentials: ACCOUNT_PLATFORM_SECRET_ID / OSIS_SECRET_ID (Secrets Manager), static ones
(ACCOUNT_PLATFORM_CLIENT_ID + _CLIENT_SECRET, OSIS_TOKEN or OSIS_USERNAME + OSIS_PASSWORD), the
local stack's simulators, or with --stack the stack's secrets. A platform that cannot be read
is reported as an error (exit 1), never as drift. A corrective event re-asserts the person's
newest applied event; the consumer applies it only while that event is still the newest.`,
    );
  },
};

async function reconcile(
  flags: ReconcileFlags,
  self: Command,
  context: CommandContext,
): Promise<void> {
  if (flags.subject !== undefined && !SUBJECT_PATTERN.test(flags.subject)) {
    throw new UsageError(
      `--subject must be 1-128 letters, digits and . _ : @ - (got ${JSON.stringify(flags.subject)}).`,
    );
  }
  if (flags.apply && !flags.yes && context.io.stdin.isTTY !== true) {
    throw new UsageError(
      "Refusing to enqueue corrective events without confirmation: run it in a terminal, or pass --yes.",
    );
  }
  const settings = await context.settings(self);
  await withPlatformAccess(settings, context, "Reconciliation", (access) =>
    reconcileWith(flags, settings, context, access),
  );
}

async function reconcileWith(
  flags: ReconcileFlags,
  settings: LifecycleSettings,
  context: CommandContext,
  access: PlatformAccess,
): Promise<void> {
  const ledger = context.ledger(settings);
  const queueUrl = flags.apply ? requireSetting(settings, "queueUrl") : undefined;

  const report = await reconcileDrift({
    ledger,
    ...platformClientsFor(access, context),
    concurrency: flags.concurrency ?? 4,
    ratePerSecond: flags.rate ?? 10,
    subject: flags.subject,
    signal: context.io.signal,
    now: context.now,
    ...(context.io.sleep ? { sleep: context.io.sleep } : {}),
  });

  let sent: Awaited<ReturnType<typeof sendCorrectiveEvents>> | undefined;
  if (flags.apply && queueUrl !== undefined && report.drifted.length > 0) {
    if (!flags.json) printReport(report, context);
    const go =
      flags.yes ||
      (await confirm(
        `Enqueue ${count(report.drifted.length, "corrective event")} (one per drifted person)?`,
        context.io,
      ));
    if (!go) throw new CommandFailure("Cancelled: no corrective event was enqueued.");
    const audit = await openAuditLog(context, flags.auditLog, settings.description);
    try {
      sent = await sendCorrectiveEvents({
        sqs: context.sqs(settings),
        queueUrl,
        people: report.drifted,
        audit,
        now: context.now,
        signal: context.io.signal,
      });
    } finally {
      await audit.close();
    }
    if (flags.json) context.out(JSON.stringify(jsonOf(report, sent), null, 2));
    else {
      context.out(
        `${count(sent.sent.length, "corrective event")} enqueued; audit log ${audit.path}.`,
      );
    }
  } else if (flags.json) {
    context.out(JSON.stringify(jsonOf(report, undefined), null, 2));
  } else {
    printReport(report, context);
  }

  if (sent?.auditFailed !== undefined) {
    throw new CommandFailure(
      `The audit log could not be written (${sent.auditFailed}): no further corrective event was enqueued.`,
    );
  }
  if (sent !== undefined && sent.failed.length > 0) {
    throw new CommandFailure(
      `${count(sent.failed.length, "corrective event")} could not be enqueued; run the command again.`,
      { detail: sent.failed.map((f) => `${f.subject}: ${f.error}`).join("\n") },
    );
  }
  if (report.errors.length > 0) {
    throw new CommandFailure(
      `${count(report.errors.length, "platform read")} failed: those people were not judged for drift.`,
    );
  }
}

function printReport(report: ReconcileReport, context: CommandContext): void {
  if (report.drift.length === 0) {
    context.out(`No drift: ${count(report.checked, "person", "people")} checked.`);
  } else {
    context.out(
      formatTable(
        ["SUBJECT", "TARGET", "USER", "WANTED", "ACTUAL"],
        report.drift.map((row) => [
          row.subject,
          // The key id first: a long user id is cut to the column's width.
          row.accessKey ? `osis S3 key ${row.accessKey}` : row.target,
          row.userId,
          row.wanted,
          row.actual,
        ]),
      ),
    );
    context.out(
      `${count(report.drifted.length, "person", "people")} drifted of ${report.checked} checked.`,
    );
  }
  if (report.errors.length > 0) {
    context.note("Not judged (the platform could not be read):");
    context.note(
      formatTable(
        ["SUBJECT", "TARGET", "USER", "ERROR", "DETAIL"],
        report.errors.map((e) => [e.subject, e.target, e.userId, e.kind, e.detail]),
        { maxCellWidth: 80 },
      ),
    );
  }
  if (report.skipped.length > 0) {
    context.note(
      `Skipped ${count(report.skipped.length, "person", "people")}: ${summarize(report.skipped.map((s) => s.reason))}.`,
    );
  }
}

function summarize(reasons: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n} ${reason}`).join(", ");
}

function jsonOf(
  report: ReconcileReport,
  sent: Awaited<ReturnType<typeof sendCorrectiveEvents>> | undefined,
) {
  const { drifted: _records, ...rest } = report;
  return { ...rest, ...(sent ? { corrective: sent } : {}) };
}
