import type { Command } from "commander";
import { formatTable } from "../../shared/operator/terminal/text-table.ts";
import type {
  EventRef,
  HistoryEntry,
  OsisKeysRecord,
  PersonRecord,
} from "../../shared/runtime/ledger/person-record.ts";
import { CommandFailure } from "../cli-errors.ts";
import type { CommandContext } from "../command-context.ts";
import { subjectArgument } from "../options/parsers.ts";
import { isoSeconds } from "../output/time-format.ts";
import { type CommandModule, helpAfter } from "./command-module.ts";

interface StatusFlags {
  json?: boolean;
}

export const statusCommand: CommandModule = {
  register(parent, context) {
    const command = parent
      .command("status")
      .description(
        "Show the ledger's record of a person: newest applied event, per-target outcome, history.",
      )
      .argument("<subject>", "the person key (the events' subject)", subjectArgument)
      .option("--json", "print the ledger item as JSON")
      .action((subject: string, flags: StatusFlags, self: Command) =>
        status(subject, flags, self, context),
      );
    return helpAfter(command, [
      "lifecycle status emp-42",
      "lifecycle status emp-42 --json --stack HrLifecycleSync",
    ]);
  },
};

async function status(
  subject: string,
  flags: StatusFlags,
  self: Command,
  context: CommandContext,
): Promise<void> {
  const settings = await context.settings(self);
  const record = await context.ledger(settings).getPerson(subject);
  if (record === undefined) {
    throw new CommandFailure(
      `The ledger has no record of ${subject}: no event for this person has been processed (check the subject, or whether its events are still queued or in the DLQ).`,
    );
  }
  if (flags.json) {
    context.out(JSON.stringify(record, null, 2));
    return;
  }
  for (const line of describePerson(record, context.now())) context.out(line);
}

export function describePerson(record: PersonRecord, now: number): string[] {
  const lines = [`Person ${record.subject}`];
  const newest = record.newestApplied;
  lines.push(
    newest
      ? `  Newest applied:   ${refText(newest)}, applied ${isoSeconds(newest.appliedAt)}`
      : "  Newest applied:   none",
  );
  if (record.desiredEnabled !== undefined) {
    lines.push(
      `  Desired state:    ${record.desiredEnabled ? "enabled / active" : "disabled / inactive"} on both platforms`,
    );
  }
  const resolved = record.resolved;
  lines.push(
    `  Account platform: ${resolved?.accountPlatform ? `user ${resolved.accountPlatform.userId}` : "not resolved yet"}`,
  );
  lines.push(
    `  OSIS:             ${resolved?.osis ? `user ${resolved.osis.userId} in tenant ${resolved.osis.tenantId}` : "not resolved yet"}`,
  );
  if (record.osisKeys) lines.push(`  OSIS S3 keys:     ${describeOsisKeys(record.osisKeys)}`);
  const progress = record.inProgress;
  if (progress) {
    const done = progress.done.length > 0 ? progress.done.join(", ") : "no target yet";
    lines.push(
      `  In progress:      ${refText(progress)}; attempt ${progress.attempts}; done: ${done}`,
    );
    if (progress.pendingDeadLetter) {
      lines.push(
        `                    being sent to the DLQ: ${progress.pendingDeadLetter.reason}${progress.pendingDeadLetter.target ? ` (${progress.pendingDeadLetter.target})` : ""}`,
      );
    }
  } else {
    lines.push("  In progress:      nothing");
  }
  lines.push(...describeTimeline(record));
  if (record.claim) {
    lines.push(
      `  Claim:            ${record.claim.expiresAt > now ? "held" : "expired"} until ${isoSeconds(record.claim.expiresAt)} by ${record.claim.owner}`,
    );
  }
  lines.push(`  Last change:      ${isoSeconds(record.updatedAt)}`);
  lines.push("");
  if (record.history.length === 0) {
    lines.push("History: empty");
  } else {
    lines.push("History (newest first):");
    lines.push(
      formatTable(
        ["AT", "OUTCOME", "TYPE", "EVENT TIME", "EVENT ID", "REASON", "TARGET"],
        record.history.map((entry) => [
          isoSeconds(entry.at),
          entry.outcome,
          entry.type,
          isoSeconds(entry.time),
          entry.id,
          entry.reason ?? detailOf(entry),
          entry.target,
        ]),
      ),
    );
  }
  return lines;
}

/** What the person's last offboard or rehire did to their S3 keys, by access key id. */
function describeOsisKeys(keys: OsisKeysRecord): string {
  const list = (ids: readonly string[] | undefined) => (ids?.length ? ids.join(", ") : "none");
  const parts =
    keys.change === "offboard"
      ? [
          `offboard turned off ${list(keys.deactivated)}`,
          `already off ${list(keys.alreadyInactive)}`,
        ]
      : [`rehire turned on ${list(keys.reactivated)}`, `left off ${list(keys.alreadyInactive)}`];
  if (keys.platformManaged) parts.push("the rest platform-managed (updateCredentialStatus: 501)");
  return `${parts.join("; ")} (checked ${isoSeconds(keys.at)})`;
}

/**
 * The person's timeline (docs/consumer.md#the-timeline-rule): the decision applied, each
 * pending change, and each cancelled one with what cancelled it.
 */
function describeTimeline(record: PersonRecord): string[] {
  const rows: (string | undefined)[][] = [];
  const newest = record.newestApplied;
  if (newest) {
    const effectiveAt = newest.effectiveAt;
    rows.push([
      "applied",
      ...decisionCells(newest, effectiveAt),
      `at ${isoSeconds(newest.appliedAt)}`,
    ]);
  }
  for (const change of record.pendingChanges ?? []) {
    rows.push([
      "pending",
      ...decisionCells(change, change.effectiveAt),
      change.enqueuedAt === undefined
        ? `scheduled ${isoSeconds(change.scheduledAt)}`
        : `put back on the queue ${isoSeconds(change.enqueuedAt)}`,
    ]);
  }
  for (const cancelled of record.cancelledChanges ?? []) {
    rows.push([
      "cancelled",
      "",
      "",
      "",
      keyText(cancelled.key),
      `by ${keyOrOperator(cancelled.by)} at ${isoSeconds(cancelled.at)}`,
    ]);
  }
  if (rows.length === 0) return ["  Timeline:         nothing decided yet"];
  return [
    "  Timeline:",
    formatTable(["", "TYPE", "DECIDED AT", "EFFECTIVE AT", "EVENT", "WHY / WHEN"], rows)
      .split("\n")
      .map((line) => `    ${line}`)
      .join("\n"),
  ];
}

function decisionCells(ref: EventRef, effectiveAt?: number): (string | undefined)[] {
  const decidedAt = ref.decidedAt ?? ref.time;
  return [
    ref.type,
    isoSeconds(decidedAt),
    isoSeconds(effectiveAt ?? decidedAt),
    `${ref.id} from ${ref.source}`,
  ];
}

/** An event key (`["source","id"]`) as `id from source`. */
function keyText(key: string): string {
  try {
    const [source, id]: unknown[] = JSON.parse(key);
    return typeof source === "string" && typeof id === "string" ? `${id} from ${source}` : key;
  } catch {
    return key;
  }
}

function keyOrOperator(by: string): string {
  return by.startsWith("operator:") ? by : `event ${keyText(by)}`;
}

/** What a scheduling entry adds: when it takes effect, or what cancelled it. */
function detailOf(entry: HistoryEntry): string | undefined {
  if (entry.effectiveAt !== undefined) return `effective ${isoSeconds(entry.effectiveAt)}`;
  if (entry.cancelledBy !== undefined) return `by ${entry.cancelledBy}`;
  return undefined;
}

function refText(ref: EventRef): string {
  return `${ref.type} of ${isoSeconds(ref.time)} (event ${ref.id} from ${ref.source})`;
}
