import { ConfigurationError } from "../errors/configuration-error.ts";

/**
 * Reads settings from environment variables and collects every problem, so a function's cold
 * start can fail once with a message naming each missing or bad variable.
 */
export type Environment = Readonly<Record<string, string | undefined>>;

export interface IntegerSetting {
  name: string;
  fallback: number;
  min: number;
  max: number;
}

export interface EnvironmentReader {
  readonly problems: string[];
  required(name: string): string;
  optional(name: string): string | undefined;
  integer(setting: IntegerSetting): number;
  /** `true`/`false` (also 1/0, yes/no, on/off); unset is `false`. */
  boolean(name: string): boolean;
  /** A required value passed through `normalize`, whose ConfigurationError problems are collected. */
  normalized(name: string, normalize: (raw: string) => string): string;
}

const TRUE_WORDS = ["1", "true", "yes", "on"];
const FALSE_WORDS = ["", "0", "false", "no", "off"];

export function readEnvironment(env: Environment): EnvironmentReader {
  const problems: string[] = [];
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is required`);
    return value ?? "";
  };
  // Callers destructure these, so none of them may rely on `this`.
  return {
    problems,
    required,
    optional: (name) => env[name]?.trim() || undefined,
    integer(setting) {
      const raw = env[setting.name]?.trim();
      if (!raw) return setting.fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < setting.min || value > setting.max) {
        problems.push(
          `${setting.name} must be a whole number from ${setting.min} to ${setting.max} (got "${raw}")`,
        );
        return setting.fallback;
      }
      return value;
    },
    boolean(name) {
      const raw = env[name]?.trim().toLowerCase() ?? "";
      if (TRUE_WORDS.includes(raw)) return true;
      if (!FALSE_WORDS.includes(raw))
        problems.push(`${name} must be true or false (got "${env[name]}")`);
      return false;
    },
    normalized(name, normalize) {
      const value = required(name);
      if (value === "") return value;
      try {
        return normalize(value);
      } catch (error) {
        if (!(error instanceof ConfigurationError)) throw error;
        problems.push(...error.problems);
        return value;
      }
    },
  };
}
