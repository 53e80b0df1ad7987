import type { Command } from "commander";
import { requireSetting } from "../../shared/operator/configuration/lifecycle-settings.ts";
import {
  type NativeRedriveResult,
  runNativeRedrive,
} from "../../shared/operator/dead-letters/native-redrive.ts";
import { CommandFailure } from "../cli-errors.ts";
import type { CommandContext } from "../command-context.ts";
import { createProgress } from "../output/progress.ts";
import { count } from "../output/time-format.ts";
import { openAuditLog } from "./audit-path.ts";

/** The `dlq redrive` flags a native move reads. */
export interface NativeRedriveFlags {
  dryRun?: boolean;
  rate?: number;
  auditLog?: string;
  json?: boolean;
}

/** `dlq redrive --all --native`: SQS moves the whole DLQ; this watches and cancels on Ctrl-C. */
export async function redriveNatively(
  flags: NativeRedriveFlags,
  self: Command,
  context: CommandContext,
): Promise<void> {
  const settings = await context.settings(self);
  const queueUrl = requireSetting(settings, "queueUrl");
  const dlqUrl = requireSetting(settings, "dlqUrl");
  context.note(
    "Native redrive: SQS moves every dead letter without the stale pre-check; the consumer's ledger still refuses stale events.",
  );
  const audit = flags.dryRun
    ? undefined
    : await openAuditLog(context, flags.auditLog, settings.description);
  const progress = createProgress(context.io.stderr, "Moving");
  let result: NativeRedriveResult;
  try {
    result = await runNativeRedrive({
      sqs: context.sqs(settings),
      dlqUrl,
      queueUrl,
      audit,
      maxPerSecond: flags.rate,
      dryRun: flags.dryRun === true,
      signal: context.io.signal,
      ...(context.io.sleep ? { sleep: context.io.sleep } : {}),
      onProgress: ({ status, moved, toMove }) =>
        progress.update(moved, toMove ?? moved, status.toLowerCase()),
    });
  } finally {
    progress.stop();
    await audit?.close();
  }

  if (flags.json) context.out(JSON.stringify(result, null, 2));
  const moved = `${count(result.moved, "message")} moved${result.toMove !== undefined ? ` of ${result.toMove}` : ""}`;
  switch (result.status) {
    case "DRY_RUN":
      context.note(
        `Dry run: SQS would move about ${count(result.toMove ?? 0, "message")} from ${result.sourceArn} to ${result.destinationArn}.`,
      );
      return;
    case "COMPLETED":
      context.note(`Native redrive completed: ${moved}.`);
      return;
    case "CANCELLED":
      throw new CommandFailure(
        `Native redrive cancelled: ${moved}; the rest is still in the DLQ. Run it again to move it.`,
      );
    case "FAILED":
      throw new CommandFailure(
        `Native redrive failed (${result.failureReason ?? "no reason given"}): ${moved}; the rest is still in the DLQ.`,
      );
    case "RUNNING":
      throw new CommandFailure(
        `Lost track of the move task (${result.cancelRequested ? "cancel requested" : "still running"}): ${moved} so far. Check it with: aws sqs list-message-move-tasks --source-arn ${result.sourceArn}`,
      );
  }
}
