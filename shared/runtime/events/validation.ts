import { DEFAULT_MAX_SCHEDULE_DAYS, MAX_EVENT_BYTES } from "./event-limits.ts";
import { effectiveAtMs, eventTimeMs, type LifecycleEvent } from "./lifecycle-event.ts";
import { lifecycleEventSchema } from "./lifecycle-event-schema.ts";
import type * as z from "./zod-mini.ts";

/** One thing wrong with an input, located by a JSON path (`$.data.osis.userId`). */
export interface ValidationProblem {
  path: string;
  message: string;
}

export type ValidationResult =
  | { ok: true; event: LifecycleEvent }
  | { ok: false; problems: ValidationProblem[] };

export function toJsonPath(path: readonly PropertyKey[], root = "$"): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === "number") return `${acc}[${key}]`;
    const name = String(key);
    return /^[A-Za-z_$][\w$]*$/.test(name) ? `${acc}.${name}` : `${acc}[${JSON.stringify(name)}]`;
  }, root);
}

export function problemsFromZod(error: z.core.$ZodError, root = "$"): ValidationProblem[] {
  return error.issues.map((issue) => ({
    path: toJsonPath(issue.path, root),
    message: issue.code === "unrecognized_keys" ? issue.message : issue.message,
  }));
}

/**
 * The clock an event's `time` is judged by where it enters or is applied. An event dated far
 * ahead would make every later event for its person stale (acknowledged in silence) until that
 * date: a typo in the year would lock the person out of every change. So an event more than
 * `maxFutureSeconds` (LIFECYCLE_MAX_FUTURE_SECONDS) ahead of `now` is refused.
 */
export interface EventClock {
  /** Epoch ms. */
  now: number;
  maxFutureSeconds: number;
  /** The furthest `data.effectiveAt` accepted, in days from now (LIFECYCLE_MAX_SCHEDULE_DAYS). */
  maxScheduleDays?: number | undefined;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Validate an already-parsed value as a lifecycle event; with a clock, its time too. (Listing
 * or redriving dead letters reads events without one: their time is judged when applied.)
 */
export function validateLifecycleEvent(
  input: unknown,
  root = "$",
  clock?: EventClock,
): ValidationResult {
  const result = lifecycleEventSchema.safeParse(input);
  if (!result.success) return { ok: false, problems: problemsFromZod(result.error, root) };
  const event = result.data;
  if (clock && eventTimeMs(event) - clock.now > clock.maxFutureSeconds * 1000) {
    const now = new Date(clock.now).toISOString();
    const message = `is more than ${clock.maxFutureSeconds} seconds ahead of now (${now}): check the sender's clock`;
    return { ok: false, problems: [{ path: `${root}.time`, message }] };
  }
  const effectiveAt = effectiveAtMs(event);
  const maxDays = clock?.maxScheduleDays ?? DEFAULT_MAX_SCHEDULE_DAYS;
  if (clock && effectiveAt !== undefined && effectiveAt > clock.now + maxDays * DAY_MS) {
    const path = toJsonPath(["data", "effectiveAt"], root);
    const message = `is more than ${maxDays} days ahead (LIFECYCLE_MAX_SCHEDULE_DAYS)`;
    return { ok: false, problems: [{ path, message }] };
  }
  return { ok: true, event };
}

/** Parse and validate one serialized event, enforcing the size limit before parsing. */
export function parseLifecycleEvent(raw: string, clock?: EventClock): ValidationResult {
  const bytes = Buffer.byteLength(raw, "utf8");
  if (bytes > MAX_EVENT_BYTES) {
    return {
      ok: false,
      problems: [{ path: "$", message: `is ${bytes} bytes; the limit is ${MAX_EVENT_BYTES}` }],
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, problems: [{ path: "$", message: "is not valid JSON" }] };
  }
  return validateLifecycleEvent(value, "$", clock);
}

/** A one-line summary of problems, for logs and DLQ detail attributes. */
export function describeProblems(problems: readonly ValidationProblem[]): string {
  return problems.map((p) => `${p.path} ${p.message}`).join("; ");
}
