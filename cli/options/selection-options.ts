import type { Command } from "commander";
import { FAILURE_REASONS, FAILURE_TARGETS } from "../../shared/contract/dead-letter-attributes.ts";
import {
  type DeadLetterSelection,
  selectsEverything,
} from "../../shared/operator/dead-letters/dead-letter-selection.ts";
import { UsageError } from "../cli-errors.ts";
import { listOf, parseSince } from "./parsers.ts";

const FILTER_FLAGS = "--reason, --target, --subject, --since, --id";

/** The filters `dlq list`, `dlq redrive` and `dlq discard` share. */
export function addSelectionOptions(command: Command, now: () => number): Command {
  return command
    .option(
      "--reason <reason>",
      `failure reason; repeat or comma-separate (${FAILURE_REASONS.join(", ")})`,
      listOf(FAILURE_REASONS),
    )
    .option(
      "--target <target>",
      `failing target; repeat or comma-separate (${FAILURE_TARGETS.join(", ")})`,
      listOf(FAILURE_TARGETS),
    )
    .option("--subject <subject>", "person (event subject); repeat or comma-separate", listOf())
    .option(
      "--since <time>",
      "failed at or after: an RFC 3339 time, or a duration back from now (30m, 6h, 2d)",
      (value: string) => parseSince(value, now()),
    )
    .option(
      "--id <id>",
      "an event id or an SQS message id (dead letter or original); repeat or comma-separate",
      listOf(),
    );
}

export interface SelectionFlags {
  reason?: string[];
  target?: string[];
  subject?: string[];
  /** Epoch ms (parsed by the option). */
  since?: number;
  id?: string[];
}

export function selectionFrom(flags: SelectionFlags): DeadLetterSelection {
  return {
    reasons: flags.reason,
    targets: flags.target,
    subjects: flags.subject,
    ids: flags.id,
    since: flags.since,
  };
}

/**
 * What a command that moves or deletes dead letters acts on: the filters, or `--all` alone, so
 * that no one acts on the whole DLQ by forgetting a filter. `verb` says what the command does.
 */
export function filteredOrAll(
  flags: SelectionFlags & { all?: boolean },
  verb: string,
): DeadLetterSelection {
  const selection = selectionFrom(flags);
  if (flags.all && !selectsEverything(selection)) {
    throw new UsageError("--all selects every dead letter: give it without filters.");
  }
  if (!flags.all && selectsEverything(selection)) {
    throw new UsageError(`Say which dead letters to ${verb} (${FILTER_FLAGS}) or pass --all.`);
  }
  return selection;
}

/** Refuses the filters where the command reads no dead letters; `needed` says what would. */
export function refuseFilters(flags: SelectionFlags, needed: string): void {
  if (!selectsEverything(selectionFrom(flags))) {
    throw new UsageError(`The filters (${FILTER_FLAGS}) need ${needed}.`);
  }
}
