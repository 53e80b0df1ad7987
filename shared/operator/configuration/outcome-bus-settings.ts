import { OUTCOME_DEFAULT_SOURCE as DEFAULT_OUTCOME_SOURCE } from "../../contract/outcome-event.ts";
import { OUTCOME_BUS_NAME, OUTCOME_SOURCE } from "../../contract/setting-names.ts";
import { STACK_OUTPUTS } from "../../contract/stack-outputs.ts";
import { givenText } from "../../runtime/configuration/setting-rule.ts";
import { ConfigurationError } from "../../runtime/errors/configuration-error.ts";
import type { LifecycleSettings } from "./lifecycle-settings.ts";

/** Where the CLI publishes the outcomes of what it does to dead letters. */
export interface OperatorOutcomeBus {
  busName: string;
  source: string;
  /** The local stand-in, or an endpoint the environment names; undefined: AWS. */
  endpoint: string | undefined;
}

/**
 * The outcome bus, like the CLI's other settings: `OUTCOME_BUS_NAME`, else the running local
 * stack's (`.lifecycle/local.json`, `outcomeBusName`), else the named stack's output
 * `OutcomeBusName`; none: the CLI publishes nothing, as the functions do with it unset. The
 * source is `OUTCOME_SOURCE` (a stack that changed it with `lifecycle:outcomeSource` needs it
 * set), else `hr-lifecycle-sync`.
 */
export function outcomeBusOf(
  settings: LifecycleSettings,
  env: Readonly<Record<string, string | undefined>>,
): OperatorOutcomeBus | undefined {
  const local = settings.localStack;
  const busName =
    givenText(env[OUTCOME_BUS_NAME]) ??
    settings.stackOutputs?.[STACK_OUTPUTS.outcomeBusName] ??
    local?.outcomeBusName;
  if (busName === undefined) return undefined;
  const source = givenText(env[OUTCOME_SOURCE]) ?? DEFAULT_OUTCOME_SOURCE;
  if (source.startsWith("aws.")) {
    throw new ConfigurationError("The outcome bus is not usable", [
      `${OUTCOME_SOURCE} must not start with aws. (EventBridge reserves it for AWS services)`,
    ]);
  }
  const endpoint =
    givenText(env.AWS_ENDPOINT_URL_EVENTBRIDGE) ??
    givenText(env.AWS_ENDPOINT_URL) ??
    (settings.stackOutputs === undefined ? local?.eventBridgeEndpoint : undefined);
  return { busName, source, endpoint };
}

/** The stack's outcome log group (output `OutcomeLogGroupName`), for `lifecycle outcomes --stack`. */
export function outcomeLogGroupOf(settings: LifecycleSettings): string | undefined {
  return settings.stackOutputs?.[STACK_OUTPUTS.outcomeLogGroupName];
}
