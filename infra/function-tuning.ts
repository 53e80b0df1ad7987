import { WIRED_SETTINGS } from "../shared/contract/setting-names.ts";
import { bambooHrFields } from "../shared/runtime/configuration/bamboohr-settings.ts";
import {
  accepted,
  type Reading,
  refused,
  setting,
} from "../shared/runtime/configuration/setting-rule.ts";

/**
 * Names the functions' wiring sets itself; a tuning record may not override them, or a typo in
 * cdk.json could point the consumer at another queue or secret.
 */
const WIRED_VARIABLES = new Set<string>([
  ...WIRED_SETTINGS,
  "NODE_OPTIONS",
  "POWERTOOLS_SERVICE_NAME",
  "POWERTOOLS_METRICS_NAMESPACE",
]);

const ENVIRONMENT_NAME = /^[A-Z][A-Z0-9_]*$/;

/** Extra environment variables for a function (tuning knobs): an object, or JSON of one. */
export const tuning = setting((given): Reading<Readonly<Record<string, string>>> => {
  let value = given;
  if (value === undefined) return accepted({});
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return refused("must be a JSON object of environment variables");
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return refused("must be an object of environment variables");
  }
  const record: Record<string, string> = {};
  const problems: string[] = [];
  for (const [variable, setting] of Object.entries(value)) {
    if (!ENVIRONMENT_NAME.test(variable)) {
      problems.push(`"${variable}" is not an environment variable name (A-Z, 0-9, _)`);
    } else if (WIRED_VARIABLES.has(variable)) {
      problems.push(`${variable} is set by the stack itself and cannot be tuned`);
    } else if (!["string", "number", "boolean"].includes(typeof setting)) {
      problems.push(`${variable} must be a string, number or boolean`);
    } else {
      record[variable] = String(setting);
    }
  }
  return problems.length > 0 ? { ok: false, problems, inside: true } : accepted(record);
});

/**
 * The BambooHR settings the consumer shares with the webhook (it maps what it reads back with
 * them): given once, in `lifecycle:webhookTuning`, and passed to both functions.
 */
export const SHARED_BAMBOOHR_SETTINGS = Object.keys(bambooHrFields).filter(
  (name) => !WIRED_VARIABLES.has(name),
);

/** The shared BambooHR settings of the webhook's tuning, for the consumer. */
export function sharedBambooHrSettings(
  webhookTuning: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(webhookTuning).filter(([name]) => SHARED_BAMBOOHR_SETTINGS.includes(name)),
  );
}
