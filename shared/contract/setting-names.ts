/**
 * The environment variables infra sets on the deployed functions itself (their wiring: queues,
 * table, platforms, secrets), which the runtime's environment schemas read by the same names.
 * Tuning variables that only a function reads (such as CONSUMER_MAX_ATTEMPTS) live with the
 * schema that reads them. One constant per name, not an object: the bundler inlines a
 * constant, so the functions carry no table of names.
 */
export const QUEUE_URL = "QUEUE_URL";
export const DLQ_URL = "DLQ_URL";
export const LEDGER_TABLE = "LEDGER_TABLE";
export const ACCOUNT_PLATFORM_URL = "ACCOUNT_PLATFORM_URL";
export const ACCOUNT_PLATFORM_TENANT_ID = "ACCOUNT_PLATFORM_TENANT_ID";
export const ACCOUNT_PLATFORM_SECRET_ID = "ACCOUNT_PLATFORM_SECRET_ID";
export const OSIS_URL = "OSIS_URL";
export const OSIS_BASE_PATH = "OSIS_BASE_PATH";
export const OSIS_CD_TENANT_ID = "OSIS_CD_TENANT_ID";
export const OSIS_CD_TENANT_IDS = "OSIS_CD_TENANT_IDS";
export const OSIS_SECRET_ID = "OSIS_SECRET_ID";
export const PROTECTED_ACCOUNTS = "PROTECTED_ACCOUNTS";
export const WEBHOOK_SECRET_ID = "WEBHOOK_SECRET_ID";
export const BAMBOOHR_SECRET_ID = "BAMBOOHR_SECRET_ID";
export const BAMBOOHR_API_SECRET_ID = "BAMBOOHR_API_SECRET_ID";
/** The SCIM function's bearer tokens: `{"tokens": ["…"]}`. */
export const SCIM_TOKEN_SECRET_ID = "SCIM_TOKEN_SECRET_ID";
/** The EventBridge bus the consumer and the scheduler publish outcomes to; unset: publishing off. */
export const OUTCOME_BUS_NAME = "OUTCOME_BUS_NAME";
/** The `source` of every outcome event (context `lifecycle:outcomeSource`; never `aws.…`). */
export const OUTCOME_SOURCE = "OUTCOME_SOURCE";

/**
 * What an offboard does to OSIS S3 keys (`deactivate` | `ignore`): a tuning setting of the
 * consumer (`lifecycle:consumerTuning`), not wiring; the stack passes the consumer's value on to
 * the reconciliation, which must judge keys as the consumer treats them.
 */
export const OSIS_CREDENTIALS = "OSIS_CREDENTIALS";

/** Every wiring name above (not OSIS_CREDENTIALS): a function's tuning record may not override one. */
export const WIRED_SETTINGS = [
  QUEUE_URL,
  DLQ_URL,
  LEDGER_TABLE,
  ACCOUNT_PLATFORM_URL,
  ACCOUNT_PLATFORM_TENANT_ID,
  ACCOUNT_PLATFORM_SECRET_ID,
  OSIS_URL,
  OSIS_BASE_PATH,
  OSIS_CD_TENANT_ID,
  OSIS_CD_TENANT_IDS,
  OSIS_SECRET_ID,
  PROTECTED_ACCOUNTS,
  WEBHOOK_SECRET_ID,
  BAMBOOHR_SECRET_ID,
  BAMBOOHR_API_SECRET_ID,
  SCIM_TOKEN_SECRET_ID,
  OUTCOME_BUS_NAME,
  OUTCOME_SOURCE,
] as const;
