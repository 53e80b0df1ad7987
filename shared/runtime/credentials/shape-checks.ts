/** Where a problem is, from the secret's root: field names and list positions. */
export type ShapePath = readonly (string | number)[];

/** One thing wrong with a secret's JSON. The message never quotes a value of the secret. */
export interface ShapeProblem {
  readonly path: ShapePath;
  readonly message: string;
}

export type ShapeResult<T> = { ok: true; value: T } | { ok: false; problems: ShapeProblem[] };

/** A secret's shape: its parsed JSON to the typed value, or every problem found. */
export type SecretShape<T> = (json: unknown) => ShapeResult<T>;

/** Checks the value found at `path`. */
export type FieldCheck<T> = (value: unknown, path: ShapePath) => ShapeResult<T>;

export function fits<T>(value: T): ShapeResult<T> {
  return { ok: true, value };
}

export function refused(problems: ShapeProblem[]): ShapeResult<never> {
  return { ok: false, problems };
}

/**
 * The messages below are zod's, which checked these secrets before: operators have met them
 * in cold-start failures, and the messages stay the same.
 */
export const INVALID_INPUT = "Invalid input";
const EMPTY_STRING = "Too small: expected string to have >=1 characters";

/** zod's names for the type of a parsed JSON value. */
function typeOf(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "array" : typeof value;
}

function wrongType(expected: string, value: unknown, path: ShapePath): ShapeResult<never> {
  return refused([
    { path, message: `Invalid input: expected ${expected}, received ${typeOf(value)}` },
  ]);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A non-empty string. */
export const text: FieldCheck<string> = (value, path) => {
  if (typeof value !== "string") return wrongType("string", value, path);
  return value.length > 0 ? fits(value) : refused([{ path, message: EMPTY_STRING }]);
};

/**
 * An object with the given fields, each checked at its name: every field's problems, or the
 * fields alone (any other field of the secret is left out).
 */
export function fieldsOf<T>(
  value: unknown,
  checks: { [K in keyof T]: FieldCheck<T[K]> },
  path: ShapePath = [],
): ShapeResult<T> {
  if (!isObject(value)) return wrongType("object", value, path);
  const fields: Partial<T> = {};
  const problems: ShapeProblem[] = [];
  for (const name of Object.keys(checks) as (keyof T & string)[]) {
    const field = checks[name](value[name], [...path, name]);
    if (field.ok) fields[name] = field.value;
    else problems.push(...field.problems);
  }
  return problems.length > 0 ? refused(problems) : fits(fields as T);
}

/** A list of at least one item, each checked at its position; `empty` says what an empty list lacks. */
export function listOf<T>(check: FieldCheck<T>, empty: string): FieldCheck<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) return wrongType("array", value, path);
    if (value.length === 0) return refused([{ path, message: empty }]);
    const items: T[] = [];
    const problems: ShapeProblem[] = [];
    value.forEach((item: unknown, index) => {
      const checked = check(item, [...path, index]);
      if (checked.ok) items.push(checked.value);
      else problems.push(...checked.problems);
    });
    return problems.length > 0 ? refused(problems) : fits(items);
  };
}
