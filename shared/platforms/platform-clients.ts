import type { PlatformCredentialSources } from "../credentials/platform-secrets.ts";
import type { OnPlatformCall } from "../http/call-record.ts";
import type { Logger } from "../logging/logger.ts";
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
}

/** Both platform clients, as the consumer, the scheduled reconcile and the CLI make them. */
export function createPlatformClients(options: PlatformClientsOptions): PlatformClients {
  const { timeoutMs, logger, onCall } = options;
  return {
    accountPlatform: new AccountPlatformClient({
      url: options.accountPlatform.url,
      credentials: options.credentials.accountPlatform,
      timeoutMs,
      ...(logger ? { logger } : {}),
      ...(onCall ? { onCall } : {}),
    }),
    osis: new OsisClient({
      url: options.osis.url,
      basePath: options.osis.basePath,
      credentials: options.credentials.osis,
      timeoutMs,
      ...(logger ? { logger } : {}),
      ...(onCall ? { onCall } : {}),
    }),
  };
}
