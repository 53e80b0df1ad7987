import { OUTCOME_DEFAULT_SOURCE as DEFAULT_OUTCOME_SOURCE } from "../../contract/outcome-event.ts";
import { OUTCOME_BUS_NAME, OUTCOME_SOURCE } from "../../contract/setting-names.ts";
import { optionalText, string } from "./setting-fields.ts";
import { checked, must, optional } from "./setting-rule.ts";

/**
 * The outcome bus, as the consumer, the scheduler and the stack read it: `OUTCOME_BUS_NAME` (a bus name or
 * ARN; unset: publishing is off, nothing is published and nothing kept in the outbox) and
 * `OUTCOME_SOURCE`, the events' `source` (default `hr-lifecycle-sync`; EventBridge reserves
 * `aws.` for AWS's own services, so such a source is refused).
 */
export const outcomeFields = {
  [OUTCOME_BUS_NAME]: optionalText,
  [OUTCOME_SOURCE]: optional(
    checked(
      string,
      must(
        (source) => !source.startsWith("aws."),
        "must not start with aws. (EventBridge reserves it for AWS services)",
      ),
    ),
  ),
};

export interface OutcomeSettings {
  busName: string;
  source: string;
}

/** Undefined when publishing is off. */
export function outcomeSettingsOf(env: {
  [OUTCOME_BUS_NAME]?: string | undefined;
  [OUTCOME_SOURCE]?: string | undefined;
}): OutcomeSettings | undefined {
  const busName = env[OUTCOME_BUS_NAME];
  if (busName === undefined) return undefined;
  return { busName, source: env[OUTCOME_SOURCE] ?? DEFAULT_OUTCOME_SOURCE };
}
