import { ConfigurationError } from "../errors/configuration-error.ts";
import { givenValue, type RuleValue, type SettingRule } from "./setting-rule.ts";

/** Settings by name (an environment variable, a context key) and the rule each is read by. */
export type SettingFields = Readonly<Record<string, SettingRule<unknown>>>;

/** What `fields` read: each setting's value. */
export type SettingValues<F extends SettingFields> = { [K in keyof F]: RuleValue<F[K]> };

/** A problem a cross-setting check finds, said after `setting`'s name when it names one. */
export interface CrossProblem {
  setting?: string;
  message: string;
  /** About a part of the setting's value: `NAME: message`. */
  inside?: boolean;
}

/**
 * A check across settings. It runs even when another setting is bad, so the one error names
 * every problem: `values` holds the settings that were read (a bad one is missing), `given`
 * says whether a setting was given at all, good or bad.
 */
export type CrossCheck<F extends SettingFields> = (
  values: Partial<SettingValues<F>>,
  given: (setting: keyof F & string) => boolean,
) => readonly CrossProblem[];

export interface ReadOptions<F extends SettingFields> {
  checks?: readonly CrossCheck<F>[];
  /** What the user wrote for a key (a context key's prefix); the key itself by default. */
  name?: (key: string) => string;
  /** Refuses a key no field reads, with this problem (a misspelt context key). */
  unknownKey?: string;
}

/**
 * `values` read by `fields`, or one ConfigurationError naming every problem at once:
 * `NAME problem` (`NAME: problem` for a part of the value), then unknown keys, then what the
 * cross-setting checks found.
 */
export function readSettings<F extends SettingFields>(
  fields: F,
  values: Readonly<Record<string, unknown>>,
  summary: string,
  options: ReadOptions<F> = {},
): SettingValues<F> {
  const name = options.name ?? ((key: string) => key);
  const said = (key: string, message: string, inside = false) =>
    `${name(key)}${inside ? ":" : ""} ${message}`;
  const read: Partial<Record<string, unknown>> = {};
  const problems: string[] = [];
  for (const [key, rule] of Object.entries(fields)) {
    const reading = rule(values[key]);
    if (reading.ok) read[key] = reading.value;
    else problems.push(...reading.problems.map((problem) => said(key, problem, reading.inside)));
  }
  if (options.unknownKey !== undefined) {
    for (const key of Object.keys(values).filter((key) => !Object.hasOwn(fields, key))) {
      problems.push(said(key, options.unknownKey));
    }
  }
  // Each key of `read` was read by its field's rule, so it holds that rule's value.
  const partial = read as Partial<SettingValues<F>>;
  const given = (key: string) => givenValue(values[key]) !== undefined;
  for (const check of options.checks ?? []) {
    for (const problem of check(partial, given)) {
      problems.push(
        problem.setting === undefined
          ? problem.message
          : said(problem.setting, problem.message, problem.inside),
      );
    }
  }
  if (problems.length > 0) throw new ConfigurationError(summary, problems);
  // Nothing was refused, so every field was read.
  return partial as SettingValues<F>;
}
