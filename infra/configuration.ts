import { type CrossCheck, readSettings } from "../shared/runtime/configuration/read-settings.ts";
import { CONTEXT_PREFIX, contextKeys } from "./context-keys.ts";
import { SHARED_BAMBOOHR_SETTINGS } from "./function-tuning.ts";
import { type StackConfiguration, stackConfigurationOf } from "./stack-configuration.ts";

/** The BambooHR settings the consumer shares with the webhook are given once, to the webhook. */
const sharedSettingsGivenOnce: CrossCheck<typeof contextKeys> = ({ consumerTuning }) =>
  Object.keys(consumerTuning ?? {})
    .filter((name) => SHARED_BAMBOOHR_SETTINGS.includes(name))
    .map((name) => ({
      setting: "consumerTuning",
      inside: true,
      message: `${name} is set in ${CONTEXT_PREFIX}webhookTuning: the webhook and the consumer share it`,
    }));

/**
 * Reads and validates every `lifecycle:` key at once (`context` is all of the app's context, as
 * `app.node.getAllContext()` gives it); the one ConfigurationError names each bad key by its
 * full context name, so the user knows exactly what to fix.
 */
export function readStackConfiguration(
  context: Readonly<Record<string, unknown>>,
): StackConfiguration {
  const ours = Object.entries(context).flatMap(([key, value]) =>
    key.startsWith(CONTEXT_PREFIX) ? [[key.slice(CONTEXT_PREFIX.length), value]] : [],
  );
  const values = readSettings(
    contextKeys,
    Object.fromEntries(ours),
    "The CDK context does not configure a usable stack",
    {
      name: (key) => `${CONTEXT_PREFIX}${key}`,
      // A misspelt `lifecycle:` key would otherwise be ignored silently.
      unknownKey: "is not a known key (see README.md#deploy for the list)",
      checks: [sharedSettingsGivenOnce],
    },
  );
  return stackConfigurationOf(values);
}
