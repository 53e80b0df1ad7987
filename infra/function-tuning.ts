import * as z from "zod";
import { WIRED_SETTINGS } from "../shared/contract/setting-names.ts";
import { bambooHrFields } from "../shared/runtime/configuration/bamboohr-settings.ts";
import { setting } from "../shared/runtime/configuration/setting-fields.ts";

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
export const tuning = setting(
  z.unknown().transform((given, context) => {
    const problem = (message: string, path: string[] = []) => {
      context.issues.push({ code: "custom", input: given, path, message });
    };
    let value = given;
    if (value === undefined) return {};
    if (typeof value === "string") {
      try {
        value = JSON.parse(value);
      } catch {
        problem("must be a JSON object of environment variables");
        return {};
      }
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problem("must be an object of environment variables");
      return {};
    }
    const record: Record<string, string> = {};
    for (const [variable, setting] of Object.entries(value)) {
      if (!ENVIRONMENT_NAME.test(variable)) {
        problem(`"${variable}" is not an environment variable name (A-Z, 0-9, _)`, [variable]);
      } else if (WIRED_VARIABLES.has(variable)) {
        problem(`${variable} is set by the stack itself and cannot be tuned`, [variable]);
      } else if (!["string", "number", "boolean"].includes(typeof setting)) {
        problem(`${variable} must be a string, number or boolean`, [variable]);
      } else {
        record[variable] = String(setting);
      }
    }
    return record as Readonly<Record<string, string>>;
  }),
);

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
