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
}

export function readEnvironment(env: Environment): EnvironmentReader {
  const problems: string[] = [];
  return {
    problems,
    required(name) {
      const value = env[name]?.trim();
      if (!value) problems.push(`${name} is required`);
      return value ?? "";
    },
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
  };
}
