import type * as z from "zod";
import { type LifecycleEvent, lifecycleEventSchema, MAX_EVENT_BYTES } from "./lifecycle-event.ts";

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

export function problemsFromZod(error: z.ZodError, root = "$"): ValidationProblem[] {
  return error.issues.map((issue) => ({
    path: toJsonPath(issue.path, root),
    message: issue.code === "unrecognized_keys" ? issue.message : issue.message,
  }));
}

/** Validate an already-parsed value as a lifecycle event. */
export function validateLifecycleEvent(input: unknown, root = "$"): ValidationResult {
  const result = lifecycleEventSchema.safeParse(input);
  if (result.success) return { ok: true, event: result.data };
  return { ok: false, problems: problemsFromZod(result.error, root) };
}

/** Parse and validate one serialized event, enforcing the size limit before parsing. */
export function parseLifecycleEvent(raw: string): ValidationResult {
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
  return validateLifecycleEvent(value);
}

/** A one-line summary of problems, for logs and DLQ detail attributes. */
export function describeProblems(problems: readonly ValidationProblem[]): string {
  return problems.map((p) => `${p.path} ${p.message}`).join("; ");
}
