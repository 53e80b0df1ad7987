import {
  type ConsumerConfig,
  type Environment,
  loadConsumerConfig,
} from "../shared/runtime/consumer/consumer-config.ts";
import { ConfigurationError } from "../shared/runtime/errors/configuration-error.ts";
import { LOCAL_LEDGER_TABLE, type LocalQueues } from "./local-queues-and-ledger.ts";
import type { LocalStandIns } from "./local-stand-ins.ts";

/**
 * What the stack sets for its functions, under the deployed functions' variable names: the
 * queues, the ledger, the platforms, BambooHR's API and the outcome bus.
 */
export function localWiring(queues: LocalQueues, standIns: LocalStandIns): Record<string, string> {
  const { platforms, bamboohr, outcomeBus } = standIns;
  return {
    QUEUE_URL: queues.queueUrl,
    DLQ_URL: queues.dlqUrl,
    LEDGER_TABLE: LOCAL_LEDGER_TABLE,
    ACCOUNT_PLATFORM_URL: platforms.accountPlatform.url,
    ACCOUNT_PLATFORM_TENANT_ID: platforms.accountPlatform.tenantId,
    OSIS_URL: platforms.osis.url,
    OSIS_BASE_PATH: platforms.osis.basePath,
    OSIS_CD_TENANT_ID: platforms.osis.cdTenantId,
    BAMBOOHR_API_URL: bamboohr.url,
    ...outcomeBus?.wiring,
  };
}

/** The caller's tuning (CONSUMER_*, PROTECTED_ACCOUNTS, DRY_RUN), then the stack's wiring. */
export function loadLocalConsumerConfig(
  env: Environment,
  wiring: Record<string, string>,
  functionTimeoutMs: number,
): ConsumerConfig {
  const config = loadConsumerConfig({ ...env, ...wiring });
  if (functionTimeoutMs <= config.deadlineMarginMs) {
    throw new ConfigurationError("The local consumer's settings are not usable", [
      `the consumer's function timeout (${functionTimeoutMs} ms) must be above CONSUMER_DEADLINE_MARGIN_MS (${config.deadlineMarginMs} ms)`,
    ]);
  }
  return config;
}
