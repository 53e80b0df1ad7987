import * as z from "zod";
import { LEDGER_TABLE, QUEUE_URL } from "../../contract/setting-names.ts";
import { outcomeFields, outcomeSettingsOf } from "../configuration/outcome-settings.ts";
import {
  type Environment,
  fifoQueueUrl,
  parseSettings,
  text,
} from "../configuration/setting-fields.ts";

/**
 * The scheduler's environment (README.md#scheduled-changes). A new setting is one line here
 * and one in the config below.
 */
export const schedulerEnvironment = z
  .object({ [QUEUE_URL]: fifoQueueUrl, [LEDGER_TABLE]: text, ...outcomeFields })
  .transform((env) => ({
    queueUrl: env.QUEUE_URL,
    ledgerTable: env.LEDGER_TABLE,
    /** The outcome bus the outbox is published to; undefined: publishing is off. */
    outcomes: outcomeSettingsOf(env),
  }));

export type SchedulerConfig = z.output<typeof schedulerEnvironment>;

export function loadSchedulerConfig(env: Environment): SchedulerConfig {
  return parseSettings(schedulerEnvironment, env, "The scheduler's configuration is not usable");
}
