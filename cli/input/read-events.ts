import { readFile } from "node:fs/promises";
import { readSettings } from "../../shared/runtime/configuration/read-settings.ts";
import {
  maxFutureSeconds,
  maxScheduleDays,
} from "../../shared/runtime/configuration/setting-fields.ts";
import type { LifecycleEvent } from "../../shared/runtime/events/lifecycle-event.ts";
import type { ValidationProblem } from "../../shared/runtime/events/validation.ts";
import { UsageError } from "../cli-errors.ts";
import type { InputStream } from "../cli-io.ts";
import type { CommandContext } from "../command-context.ts";
import { DEFAULT_SOURCE, splitEventInput, validateAll } from "./event-input.ts";

/** What reading events takes from the environment, besides where the command acts. */
const eventVariables = {
  LIFECYCLE_MAX_FUTURE_SECONDS: maxFutureSeconds,
  LIFECYCLE_MAX_SCHEDULE_DAYS: maxScheduleDays,
};

/** Events from `--file PATH` (`-`: stdin), as `send` and `plan` read them; any invalid one refuses all. */
export async function eventsFromFile(
  path: string,
  source: string | undefined,
  context: CommandContext,
  /** `send --effective-at`: set on every event that has none of its own. */
  effectiveAt?: string,
): Promise<LifecycleEvent[]> {
  const split = splitEventInput(await readInput(path, context));
  if (!split.ok) throw new UsageError(split.message);
  return validEvents(split.values, source, context, effectiveAt, { fromFile: true });
}

/**
 * Validated with the defaults; every problem is noted on stderr, then the input is refused.
 * `input.sayProblems` says them in the one sentence of the refusal instead (events from flags).
 */
export function validEvents(
  values: readonly { value: unknown; where: string }[],
  source: string | undefined,
  context: CommandContext,
  effectiveAt?: string,
  input: {
    fromFile?: boolean;
    sayProblems?: ((problems: ValidationProblem[]) => string) | undefined;
  } = {},
): LifecycleEvent[] {
  const settings = readSettings(eventVariables, context.env, "the CLI's event settings");
  const parsed = validateAll(values, {
    source: source ?? DEFAULT_SOURCE,
    now: context.now,
    maxFutureSeconds: settings.LIFECYCLE_MAX_FUTURE_SECONDS,
    maxScheduleDays: settings.LIFECYCLE_MAX_SCHEDULE_DAYS,
    effectiveAt,
    fromFile: input.fromFile,
  });
  if (!parsed.ok && input.sayProblems) throw new UsageError(input.sayProblems(parsed.found));
  if (!parsed.ok) {
    for (const problem of parsed.problems) context.note(`  ${problem}`);
    throw new UsageError(parsed.message);
  }
  return parsed.events;
}

async function readInput(path: string, context: CommandContext): Promise<string> {
  if (path === "-") return readStream(context.io.stdin);
  try {
    return await readFile(context.path(path), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `Cannot read ${path}${code === "ENOENT" ? ": no such file" : ` (${code ?? "error"})`}.`,
    );
  }
}

async function readStream(stream: InputStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks).toString("utf8");
}
