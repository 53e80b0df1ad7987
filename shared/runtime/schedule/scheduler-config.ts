import { LEDGER_TABLE, QUEUE_URL } from "../../contract/setting-names.ts";
import {
  type OutcomeSettings,
  outcomeFields,
  outcomeSettingsOf,
} from "../configuration/outcome-settings.ts";
import { readSettings } from "../configuration/read-settings.ts";
import { type Environment, fifoQueueUrl, text } from "../configuration/setting-fields.ts";

/**
 * The scheduler's environment (README.md#scheduled-changes). A new setting is one line here
 * and one in the config below.
 */
const schedulerVariables = { [QUEUE_URL]: fifoQueueUrl, [LEDGER_TABLE]: text, ...outcomeFields };

export interface SchedulerConfig {
  queueUrl: string;
  ledgerTable: string;
  /** The outcome bus the outbox is published to; undefined: publishing is off. */
  outcomes: OutcomeSettings | undefined;
}

export function loadSchedulerConfig(env: Environment): SchedulerConfig {
  const summary = "The scheduler's configuration is not usable";
  const values = readSettings(schedulerVariables, env, summary);
  return {
    queueUrl: values.QUEUE_URL,
    ledgerTable: values.LEDGER_TABLE,
    outcomes: outcomeSettingsOf(values),
  };
}
