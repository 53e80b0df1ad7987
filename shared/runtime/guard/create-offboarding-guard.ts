import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Logger } from "../logging/logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import { type GuardSettings, guardEnabled } from "./guard-settings.ts";
import { GuardStore } from "./guard-store.ts";
import { OffboardingGuard } from "./offboarding-guard.ts";

/** The guard on the ledger table, or nothing when the settings disable it (threshold or window 0). */
export function createOffboardingGuard(options: {
  client: DynamoDBClient;
  tableName: string;
  settings: GuardSettings;
  logger: Logger;
  metrics: Metrics;
  now?: (() => number) | undefined;
}): OffboardingGuard | undefined {
  if (!guardEnabled(options.settings)) return undefined;
  return new OffboardingGuard({
    store: new GuardStore({ client: options.client, tableName: options.tableName }),
    settings: options.settings,
    logger: options.logger,
    metrics: options.metrics,
    now: options.now,
  });
}
