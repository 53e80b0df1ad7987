import {
  ACCOUNT_PLATFORM_TENANT_ID,
  LEDGER_TABLE,
  OSIS_CD_TENANT_ID,
  PROTECTED_ACCOUNTS,
  QUEUE_URL,
  SCIM_TOKEN_SECRET_ID,
} from "../../contract/setting-names.ts";
import { platformFields, platformSettingsOf } from "../configuration/platform-fields.ts";
import { readSettings, type SettingValues } from "../configuration/read-settings.ts";
import {
  type Environment,
  fifoQueueUrl,
  list,
  optionalText,
  text,
  wholeNumber,
} from "../configuration/setting-fields.ts";
import { protectedAccountSet } from "../consumer/consumer-config.ts";

/**
 * The SCIM function's environment (docs/scim.md, "Settings"). It reads both platforms (a SCIM
 * user is an account platform user with its OSIS user beside it), the ledger (links, the
 * subject of a known person, the person's decided state) and sends to the queue. A new setting
 * is one line here and one in the config below.
 */
const scimVariables = {
  [QUEUE_URL]: fifoQueueUrl,
  [LEDGER_TABLE]: text,
  ...platformFields,
  [ACCOUNT_PLATFORM_TENANT_ID]: text,
  [OSIS_CD_TENANT_ID]: text,
  [PROTECTED_ACCOUNTS]: list,
  /** Only the deployed wiring reads the secret; the local stack gives a static token. */
  [SCIM_TOKEN_SECRET_ID]: optionalText,
  /** Per HTTP attempt to a platform: an identity provider waits 60 s for the whole answer. */
  SCIM_PLATFORM_TIMEOUT_MS: wholeNumber(5_000, 100, 10_000),
  /** Users of a listing page read at once (each is an account read and an OSIS query). */
  SCIM_READ_CONCURRENCY: wholeNumber(10, 1, 50),
  /** How long the tokens read from the secret are trusted before reading it again. */
  SCIM_TOKENS_CACHE_SECONDS: wholeNumber(60, 0, 60),
  /** Per SQS request; one retry. */
  SCIM_SQS_TIMEOUT_MS: wholeNumber(2_000, 100, 4_000),
};

function scimConfigOf(env: SettingValues<typeof scimVariables>) {
  const platforms = platformSettingsOf(env);
  return {
    queueUrl: env.QUEUE_URL,
    ledgerTable: env.LEDGER_TABLE,
    accountPlatform: { ...platforms.accountPlatform, tenantId: env.ACCOUNT_PLATFORM_TENANT_ID },
    osis: { ...platforms.osis, cdTenantId: env.OSIS_CD_TENANT_ID },
    protectedAccounts: protectedAccountSet(env.PROTECTED_ACCOUNTS),
    tokenSecretId: env.SCIM_TOKEN_SECRET_ID,
    platformTimeoutMs: env.SCIM_PLATFORM_TIMEOUT_MS,
    readConcurrency: env.SCIM_READ_CONCURRENCY,
    tokensCacheSeconds: env.SCIM_TOKENS_CACHE_SECONDS,
    sqsTimeoutMs: env.SCIM_SQS_TIMEOUT_MS,
  };
}

/** The SCIM function's settings, read once at cold start: a bad one fails the cold start. */
export type ScimConfig = ReturnType<typeof scimConfigOf>;

export function loadScimConfig(env: Environment): ScimConfig {
  const summary = "The SCIM function's configuration is not usable";
  return scimConfigOf(readSettings(scimVariables, env, summary));
}
