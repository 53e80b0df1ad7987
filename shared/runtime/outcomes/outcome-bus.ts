import type { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { type AwsClientOptions, createEventBridgeClient } from "../aws/aws-clients.ts";
import type { OutcomeSettings } from "../configuration/outcome-settings.ts";
import type { OutcomeBus } from "./put-outcome-events.ts";

/**
 * The bus of `settings`, on its own EventBridge client (`endpoint`: the local stand-in). The
 * client is made at its first use, a batch's first publish, not at cold start: making it costs
 * a cold start about 3 ms, and nothing before the first record needs it.
 */
export function createOutcomeBus(
  settings: OutcomeSettings,
  client: AwsClientOptions = {},
): OutcomeBus {
  let made: EventBridgeClient | undefined;
  return {
    ...settings,
    get client() {
      made ??= createEventBridgeClient(client);
      return made;
    },
  };
}
