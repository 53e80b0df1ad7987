import { type AwsClientOptions, createEventBridgeClient } from "../aws/aws-clients.ts";
import type { OutcomeSettings } from "../configuration/outcome-settings.ts";
import type { OutcomeBus } from "./put-outcome-events.ts";

/** The bus of `settings`, on its own EventBridge client (`endpoint`: the local stand-in). */
export function createOutcomeBus(
  settings: OutcomeSettings,
  client: AwsClientOptions = {},
): OutcomeBus {
  return { ...settings, client: createEventBridgeClient(client) };
}
