import type { Command } from "commander";
import { requireSetting } from "../../shared/operator/configuration/lifecycle-settings.ts";
import { formatTable } from "../../shared/operator/terminal/text-table.ts";
import type { CurrentPass, FinishedPass } from "../../shared/runtime/reconcile/reconcile-pass.ts";
import { ReconcilePassStore } from "../../shared/runtime/reconcile/reconcile-pass-store.ts";
import type { CommandContext } from "../command-context.ts";
import { formatAge, isoSeconds } from "../output/time-format.ts";
import { helpAfter } from "./command-module.ts";

interface StatusFlags {
  json?: boolean;
}

/** `lifecycle reconcile status`: the scheduled reconciliation's pass under way and its last. */
export function registerReconcileStatus(reconcile: Command, context: CommandContext): Command {
  const command = reconcile
    .command("status")
    .description(
      "Show the scheduled reconciliation's pass over everyone: the one under way and the last finished.",
    )
    .option("--json", "print both passes as JSON")
    .action((flags: StatusFlags, self: Command) => status(flags, self, context));
  return helpAfter(
    command,
    ["lifecycle reconcile status", "lifecycle reconcile status --stack HrLifecycleSync --json"],
    `A pass walks the whole ledger; a run that cannot finish it stops at its deadline and the
next run (every 15 minutes) carries it on from where it stopped. The ReconcilePassStale alarm
fires when no pass has finished for lifecycle:reconcileMaxPassHours (README.md#safety-rails).`,
  );
}

async function status(flags: StatusFlags, self: Command, context: CommandContext): Promise<void> {
  const settings = await context.settings(self);
  const store = new ReconcilePassStore({
    client: context.dynamodb(settings),
    tableName: requireSetting(settings, "ledgerTable"),
  });
  const { current, last } = await store.read(context.io.signal);
  // `reconcile` has a --json of its own, which commander gives the parent when it comes after.
  if (flags.json || (self.optsWithGlobals() as StatusFlags).json) {
    context.out(JSON.stringify({ current: current ?? null, last: last ?? null }, null, 2));
    return;
  }
  if (current === undefined && last === undefined) {
    context.out("No reconciliation pass has run yet (the schedule starts one).");
    return;
  }
  const now = context.now();
  context.out(
    formatTable(
      ["PASS", "STARTED", "FINISHED", "TOOK", "RUNS", "CHECKED", "DRIFTED", "ERRORS", "SKIPPED"],
      [
        ...(current ? [row("under way", current, undefined, now - current.startedAt)] : []),
        ...(last ? [row("last", last, last.finishedAt, last.durationMs)] : []),
      ],
    ),
  );
  if (current?.cursor !== undefined) {
    context.note(
      `The pass under way has reached ${current.cursor} (last progress ${isoSeconds(current.updatedAt)}).`,
    );
  }
}

function row(
  name: string,
  pass: CurrentPass | FinishedPass,
  finishedAt: number | undefined,
  tookMs: number,
): (string | undefined)[] {
  return [
    name,
    isoSeconds(pass.startedAt),
    isoSeconds(finishedAt),
    formatAge(tookMs),
    String(pass.runs),
    String(pass.checked),
    String(pass.drifted),
    String(pass.errors),
    String(pass.skipped),
  ];
}
