import { setTimeout as sleep } from "node:timers/promises";
import type { Command } from "commander";
import {
  type LifecycleChangeOutcome,
  OUTCOME_KINDS,
  type OutcomeKind,
} from "../../schemas/lifecycle-change-outcome.ts";
import { STACK_OUTPUTS } from "../../shared/contract/stack-outputs.ts";
import { LOCAL_OUTCOMES_FILE } from "../../shared/operator/configuration/local-stack-file.ts";
import { outcomeLogGroupOf } from "../../shared/operator/configuration/outcome-bus-settings.ts";
import {
  type OutcomeFilter,
  type OutcomeSource,
  outcomeFile,
  outcomeLogGroup,
  selectOutcomes,
} from "../../shared/operator/outcomes/outcome-log.ts";
import { formatTable } from "../../shared/operator/terminal/text-table.ts";
import { CommandFailure } from "../cli-errors.ts";
import type { CommandContext } from "../command-context.ts";
import { listOf, parseSince } from "../options/parsers.ts";
import { type CommandModule, helpAfter } from "./command-module.ts";

interface OutcomesFlags {
  subject?: string[];
  outcome?: OutcomeKind[];
  since?: number;
  follow?: boolean;
  json?: boolean;
}

/** How often `--follow` looks for new outcomes, and how far back before its last look. */
const FOLLOW_INTERVAL_MS = 1_000;
const FOLLOW_OVERLAP_MS = 60_000;

export const outcomesCommand: CommandModule = {
  register(parent, context) {
    const command = parent
      .command("outcomes")
      .description(
        "List the outcome events published on EventBridge, newest first: what became of each event.",
      )
      .option("--subject <subject>", "person (event subject); repeat or comma-separate", listOf())
      .option(
        "--outcome <outcome>",
        `repeat or comma-separate (${OUTCOME_KINDS.join(", ")})`,
        listOf(OUTCOME_KINDS),
      )
      .option(
        "--since <time>",
        "reached at or after: an RFC 3339 time, or a duration back from now (30m, 6h, 2d)",
        (value: string) => parseSince(value, context.now()),
      )
      .option("--follow", "keep printing new outcomes as they arrive (Ctrl-C stops)")
      .option("--json", "print the events' details as JSON (with --follow: one per line)")
      .action((flags: OutcomesFlags, self: Command) => outcomes(flags, self, context));
    return helpAfter(
      command,
      [
        "lifecycle outcomes",
        "lifecycle outcomes --subject emp-42 --since 1d",
        "lifecycle outcomes --outcome dead_lettered --follow",
        "lifecycle outcomes --stack HrLifecycleSync --json",
      ],
      `Locally it reads the file the EventBridge stand-in appends to (.lifecycle/outcomes.ndjson);
with --stack, the stack's outcome log group (output ${STACK_OUTPUTS.outcomeLogGroupName}), where a
rule writes every outcome event. The order is by each outcome's "at" (EventBridge does not
order deliveries). docs/outcomes.md describes each outcome and its fields.`,
    );
  },
};

async function outcomes(
  flags: OutcomesFlags,
  self: Command,
  context: CommandContext,
): Promise<void> {
  const settings = await context.settings(self);
  let source: OutcomeSource;
  if (settings.stackOutputs !== undefined) {
    const logGroup = outcomeLogGroupOf(settings);
    if (logGroup === undefined) {
      throw new CommandFailure(
        `The stack has no outcome log group (output ${STACK_OUTPUTS.outcomeLogGroupName}): deploy this version of the stack first.`,
      );
    }
    source = outcomeLogGroup(context.cloudWatchLogs(settings), logGroup);
  } else {
    source = outcomeFile(context.path(settings.localStack?.outcomesFile ?? LOCAL_OUTCOMES_FILE));
  }
  const filter: OutcomeFilter = {
    subjects: flags.subject,
    outcomes: flags.outcome,
    since: flags.since,
  };
  const signal = context.io.signal;
  const found = selectOutcomes(await source.read(flags.since, signal), filter);
  if (!flags.follow) {
    if (flags.json) context.out(JSON.stringify(found, null, 2));
    else if (found.length === 0) context.note("No outcomes.");
    else context.out(formatTable(COLUMNS, found.map(row)));
    return;
  }
  await follow(source, filter, found, flags.json === true, context);
}

/**
 * Prints what is there, oldest first so the newest is the last line, then every outcome
 * published since, once each (by `outcomeId`), until Ctrl-C. Each look reads what was
 * published from a little before the last one, so a slow delivery is not missed.
 */
async function follow(
  source: OutcomeSource,
  filter: OutcomeFilter,
  found: readonly LifecycleChangeOutcome[],
  json: boolean,
  context: CommandContext,
): Promise<void> {
  const signal = context.io.signal;
  const printed = new Set<string>();
  const print = (batch: readonly LifecycleChangeOutcome[]) => {
    for (const outcome of [...batch].reverse()) {
      if (printed.has(outcome.outcomeId)) continue;
      printed.add(outcome.outcomeId);
      context.out(json ? JSON.stringify(outcome) : (tableLines([outcome]).at(-1) ?? ""));
    }
  };
  if (!json) context.out(tableLines([]).at(0) ?? "");
  print(found);
  for (;;) {
    const lookedAt = context.now();
    const waited = await sleep(FOLLOW_INTERVAL_MS, true, { signal }).catch(() => false);
    if (!waited) return;
    print(selectOutcomes(await source.read(lookedAt - FOLLOW_OVERLAP_MS, signal), filter));
  }
}

function tableLines(outcomes: readonly LifecycleChangeOutcome[]): string[] {
  return formatTable(COLUMNS, outcomes.map(row)).split("\n");
}

const COLUMNS = ["AT", "OUTCOME", "SUBJECT", "TYPE", "EVENT", "REASON", "TARGETS"];

function row(outcome: LifecycleChangeOutcome): (string | undefined)[] {
  return [
    outcome.at,
    outcome.outcome,
    outcome.event.subject,
    outcome.event.type,
    outcome.event.id,
    outcome.failure?.reason ?? outcome.reason,
    outcome.targets.map((target) => `${target.target}: ${target.result}`).join(", "),
  ];
}
