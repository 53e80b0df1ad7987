import { randomUUID } from "node:crypto";
import type { LifecycleEvent } from "../../shared/runtime/events/lifecycle-event.ts";
import { foreignClaimProblems } from "../../shared/runtime/events/source-ownership.ts";
import {
  type ValidationProblem,
  type ValidationResult,
  validateLifecycleEvent,
} from "../../shared/runtime/events/validation.ts";
import { contentEventId } from "./content-event-id.ts";
import { tryJson } from "./json-location.ts";

/**
 * Events given to `lifecycle send` in a file or on stdin: one JSON object, a JSON array of
 * objects, or NDJSON (one object a line). Absent `specversion` and `source` get the same
 * defaults as flags do; `time` is required (now would re-date an old change, so a re-sent export
 * would override every change applied since), and an absent `id` is derived from the content;
 * everything else must pass the shared schema.
 */

export const DEFAULT_SOURCE = "urn:lifecycle:cli";

export interface EventDefaults {
  source: string;
  now: () => number;
  newId?: () => string;
  /** LIFECYCLE_MAX_FUTURE_SECONDS: how far ahead of now an event's `time` may be. */
  maxFutureSeconds: number;
  /** `--effective-at`: set on every event that has no `data.effectiveAt` of its own. */
  effectiveAt?: string | undefined;
  /** LIFECYCLE_MAX_SCHEDULE_DAYS (default 400). */
  maxScheduleDays?: number | undefined;
  /** Events from a file: `time` required, an absent `id` derived from the content. */
  fromFile?: boolean | undefined;
}

export type ParsedInput =
  | { ok: true; events: LifecycleEvent[] }
  | { ok: false; message: string; problems: string[]; found: ValidationProblem[] };

const SHAPES = "give one JSON object, a JSON array, or one object a line (NDJSON)";

/** Splits the text into candidate values, saying where each came from (`$[2]`, `line 3`). */
export function splitEventInput(
  text: string,
): { ok: true; values: { value: unknown; where: string }[] } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, message: "The input holds no events." };
  const whole = tryJson(text);
  if (trimmed.startsWith("[")) {
    if (!whole.ok) return { ok: false, message: `The input ${whole.where}: ${SHAPES}.` };
    if (!Array.isArray(whole.value)) {
      return { ok: false, message: "The input starts with [ but is not a JSON array." };
    }
    return { ok: true, values: whole.value.map((value, i) => ({ value, where: `$[${i}]` })) };
  }
  if (whole.ok) return { ok: true, values: [{ value: whole.value, where: "$" }] };
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex((line) => line.trim() !== "");
  // One value a line only if the first line is a value on its own; else it is one document
  // (pretty-printed), and the parser's own line and column say where it breaks.
  if (!tryJson(lines[first] ?? "").ok) {
    return { ok: false, message: `The input ${whole.where}: ${SHAPES}.` };
  }
  const values: { value: unknown; where: string }[] = [];
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const parsed = tryJson(line);
    if (!parsed.ok) {
      const where = parsed.where.replace(/^is not JSON at line 1,/, "is not JSON at");
      return { ok: false, message: `Line ${index + 1} ${where}: ${SHAPES}.` };
    }
    values.push({ value: parsed.value, where: `line ${index + 1}` });
  }
  return { ok: true, values };
}

/** Fills absent envelope fields; leaves anything that is not an object for the schema to refuse. */
export function withDefaults(value: unknown, defaults: EventDefaults): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const event = value as Record<string, unknown>;
  const data = event.data;
  const scheduled =
    defaults.effectiveAt !== undefined && typeof data === "object" && data !== null
      ? { data: { effectiveAt: defaults.effectiveAt, ...data } }
      : {};
  const filled: Record<string, unknown> = {
    specversion: "1.0",
    source: defaults.source,
    ...(defaults.fromFile ? {} : { time: new Date(defaults.now()).toISOString() }),
    ...event,
    ...scheduled,
  };
  if (Object.hasOwn(event, "id")) return filled;
  const id = defaults.fromFile ? contentEventId(filled) : (defaults.newId ?? randomUUID)();
  return { id, ...filled };
}

const TIME_REQUIRED =
  "is required in a file: give the time HR decided the change (sending the file again must not re-date it)";

function withoutTime(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !Object.hasOwn(value, "time")
  );
}

/** Validates every value; any problem in any event refuses them all (nothing half-sent). */
export function validateAll(
  values: readonly { value: unknown; where: string }[],
  defaults: EventDefaults,
): ParsedInput {
  const events: LifecycleEvent[] = [];
  const problems: string[] = [];
  const found: ValidationProblem[] = [];
  for (const { value, where } of values) {
    const clock = {
      now: defaults.now(),
      maxFutureSeconds: defaults.maxFutureSeconds,
      maxScheduleDays: defaults.maxScheduleDays,
    };
    const result =
      defaults.fromFile && withoutTime(value)
        ? { ok: false as const, problems: [{ path: "$.time", message: TIME_REQUIRED }] }
        : admitted(validateLifecycleEvent(withDefaults(value, defaults), "$", clock));
    if (result.ok) {
      events.push(result.event);
    } else {
      found.push(...result.problems);
      for (const problem of result.problems) {
        const text = `${problem.path} ${problem.message}`;
        problems.push(where === "$" ? text : `${where}: ${text}`);
      }
    }
  }
  if (problems.length > 0) {
    return {
      ok: false,
      message:
        values.length === 1
          ? "The event is not valid, so nothing was sent."
          : "Not every event is valid, so nothing was sent.",
      problems,
      found,
    };
  }
  return { ok: true, events };
}

/** `lifecycle send` may not set reconciliation's marker (any source is its own to choose). */
function admitted(result: ValidationResult): ValidationResult {
  if (!result.ok) return result;
  const problems = foreignClaimProblems(result.event, "$", { ownSourcesOnly: false });
  return problems.length > 0 ? { ok: false, problems } : result;
}
