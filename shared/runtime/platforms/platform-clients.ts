import type { PlatformCredentialSources } from "../credentials/platform-credential-sources.ts";
import type { PlatformName } from "../errors/platform-errors.ts";
import type { CallGate } from "../http/call-gate.ts";
import type { OnPlatformCall } from "../http/call-record.ts";
import type { Logger } from "../logging/logger.ts";
import { PlatformPace } from "../pace/platform-pace.ts";
import { AccountPlatformClient } from "./account-platform/account-platform-client.ts";
import { OsisClient } from "./osis/osis-client.ts";

export interface PlatformClients {
  accountPlatform: AccountPlatformClient;
  osis: OsisClient;
}

export interface PlatformClientsOptions {
  accountPlatform: { url: string };
  osis: { url: string; basePath: string };
  credentials: PlatformCredentialSources;
  /** Per HTTP attempt, both platforms. */
  timeoutMs: number;
  logger?: Logger | undefined;
  onCall?: OnPlatformCall | undefined;
  /** The consumer's circuit breakers, one per platform; every exchange passes its platform's first. */
  // BambooHR is read by the webhook only; the breakers guard the two target platforms.
  breakers?: Readonly<Record<Exclude<PlatformName, "bamboohr">, CallGate>> | undefined;
}

/**
 * Both platform clients, as the consumer, the scheduled reconcile and the CLI make them; each
 * paces its requests by what the platform's 429s teach it (shared/runtime/pace/).
 */
export function createPlatformClients(options: PlatformClientsOptions): PlatformClients {
  const { timeoutMs, logger, onCall, breakers } = options;
  const gatesOf = (platform: Exclude<PlatformName, "bamboohr">): CallGate[] =>
    breakers ? [breakers[platform]] : [];
  return {
    accountPlatform: new AccountPlatformClient({
      url: options.accountPlatform.url,
      credentials: options.credentials.accountPlatform,
      timeoutMs,
      gates: gatesOf("account-platform"),
      pace: new PlatformPace({ platform: "account-platform", logger }),
      ...(logger ? { logger } : {}),
      ...(onCall ? { onCall } : {}),
    }),
    osis: new OsisClient({
      url: options.osis.url,
      basePath: options.osis.basePath,
      credentials: options.credentials.osis,
      timeoutMs,
      gates: gatesOf("osis"),
      pace: new PlatformPace({ platform: "osis", logger }),
      ...(logger ? { logger } : {}),
      ...(onCall ? { onCall } : {}),
    }),
  };
}
