/**
 * What a setting rule is, and the few ways rules are composed. A rule takes the value as given
 * (a string from the environment, any JSON value from the CDK context) and gives its value or
 * what is wrong with it. A problem does not name the setting: `readSettings` puts the variable
 * or context key in front, so one rule reads the same wherever it is used. Plain functions, not
 * a schema library: the functions read their settings at cold start, where loading and building
 * schemas cost more than reading the settings.
 */
export type Reading<T> =
  | { ok: true; value: T }
  /** `inside`: the problems are about parts of the value (a tuning variable): `NAME: problem`. */
  | { ok: false; problems: readonly string[]; inside?: boolean };

export type SettingRule<T> = (given: unknown) => Reading<T>;

/** The value a rule gives. */
export type RuleValue<R> = R extends SettingRule<infer T> ? T : never;

/** What a condition says of a value: a problem, or undefined when the value is fine. */
export type Condition<T> = (value: T) => string | undefined;

export function accepted<T>(value: T): Reading<T> {
  return { ok: true, value };
}

export function refused(...problems: string[]): Reading<never> {
  return { ok: false, problems };
}

/** Trimmed; blank and missing are both "not given". */
export function givenText(value: string | undefined): string | undefined {
  return value?.trim() || undefined;
}

/** Trimmed; blank, null and missing are all "not given". */
export function givenValue(value: unknown): unknown {
  return typeof value === "string" ? givenText(value) : (value ?? undefined);
}

/** `rule` applied to the given value (see `givenValue`). */
export const setting =
  <T>(rule: SettingRule<T>): SettingRule<T> =>
  (given) =>
    rule(givenValue(given));

/** `rule`, or undefined when nothing is given. */
export const orUndefined =
  <T>(rule: SettingRule<T>): SettingRule<T | undefined> =>
  (given) =>
    given === undefined ? accepted(undefined) : rule(given);

/** `rule`, or `fallback` when nothing is given. */
export const orDefault =
  <T>(rule: SettingRule<T>, fallback: T): SettingRule<T> =>
  (given) =>
    given === undefined ? accepted(fallback) : rule(given);

/** A setting (see `setting`) that may be left out: undefined then. */
export const optional = <T>(rule: SettingRule<T>) => setting(orUndefined(rule));

/** `rule`'s value turned into another. */
export const mapped =
  <T, U>(rule: SettingRule<T>, change: (value: T) => U): SettingRule<U> =>
  (given) => {
    const read = rule(given);
    return read.ok ? accepted(change(read.value)) : read;
  };

/** `rule`'s value, when every condition holds; each one that fails says its problem. */
export const checked =
  <T>(rule: SettingRule<T>, ...conditions: Condition<T>[]): SettingRule<T> =>
  (given) => {
    const read = rule(given);
    if (!read.ok) return read;
    const problems = conditions.flatMap((condition) => condition(read.value) ?? []);
    return problems.length > 0 ? refused(...problems) : read;
  };

/** A condition: `holds`, or `problem` (which may quote the value). */
export const must =
  <T>(holds: (value: T) => boolean, problem: string | ((value: T) => string)): Condition<T> =>
  (value) =>
    holds(value) ? undefined : typeof problem === "string" ? problem : problem(value);

/** A condition: the text matches `pattern`. */
export const matches = (pattern: RegExp, problem: string | ((value: string) => string)) =>
  must((value: string) => pattern.test(value), problem);
