import {
  BAMBOOHR_SECRET_ID,
  LEDGER_TABLE,
  QUEUE_URL,
  WEBHOOK_SECRET_ID,
} from "../../contract/setting-names.ts";
import {
  bambooHrFields,
  bambooHrSettingsOf,
  checkBambooHrTargets,
} from "../configuration/bamboohr-settings.ts";
import { readSettings, type SettingValues } from "../configuration/read-settings.ts";
import {
  type Environment,
  fifoQueueUrl,
  maxFutureSeconds,
  maxScheduleDays,
  oneOf,
  optionalText,
  wholeNumber,
} from "../configuration/setting-fields.ts";
import { orDefault, setting } from "../configuration/setting-rule.ts";
import { DELETED_MEANS } from "./bamboohr-delivery-context.ts";

/**
 * The webhook function's environment: every variable, its rule and its default, documented in
 * docs/webhook.md. A new setting is one line here and one in the config below.
 */
const webhookVariables = {
  [QUEUE_URL]: fifoQueueUrl,
  /** Only the deployed wiring reads secrets; the local stack gives static keys. */
  [WEBHOOK_SECRET_ID]: optionalText,
  [BAMBOOHR_SECRET_ID]: optionalText,
  ...bambooHrFields,
  BAMBOOHR_DELETED_MEANS: setting(
    orDefault(
      oneOf(DELETED_MEANS, () => `must be ${DELETED_MEANS.join(" or ")}`),
      "offboard",
    ),
  ),
  /**
   * How old a `/bamboohr` signature may be: BambooHR retries a 5xx for up to 155 minutes, and
   * whether a retry is signed anew is not documented (one more than 300 s ahead is refused).
   */
  BAMBOOHR_MAX_AGE_SECONDS: wholeNumber(10_800, 300, 86_400),
  /** The ledger, read (GetItem only) for a deleted employee the API can no longer read. */
  [LEDGER_TABLE]: optionalText,
  /**
   * How long the deployed function trusts the signing keys it read before reading again: a
   * key removed from its secret stops verifying within this, so it is at most a minute.
   */
  WEBHOOK_KEYS_CACHE_SECONDS: wholeNumber(60, 0, 60),
  /** Per SQS request; with one retry it stays well inside the function's 25 s timeout. */
  WEBHOOK_SQS_TIMEOUT_MS: wholeNumber(2_000, 100, 4_000),
  LIFECYCLE_MAX_FUTURE_SECONDS: maxFutureSeconds,
  LIFECYCLE_MAX_SCHEDULE_DAYS: maxScheduleDays,
};

function webhookConfigOf(env: SettingValues<typeof webhookVariables>) {
  return {
    queueUrl: env.QUEUE_URL,
    webhookSecretId: env.WEBHOOK_SECRET_ID,
    bamboohrSecretId: env.BAMBOOHR_SECRET_ID,
    ...bambooHrSettingsOf(env),
    bamboohrDeletedMeans: env.BAMBOOHR_DELETED_MEANS,
    bamboohrMaxAgeSeconds: env.BAMBOOHR_MAX_AGE_SECONDS,
    ledgerTable: env.LEDGER_TABLE,
    keysCacheSeconds: env.WEBHOOK_KEYS_CACHE_SECONDS,
    sqsTimeoutMs: env.WEBHOOK_SQS_TIMEOUT_MS,
    /** How far ahead of now an event's `time` may be. */
    maxFutureSeconds: env.LIFECYCLE_MAX_FUTURE_SECONDS,
    /** The furthest `data.effectiveAt` accepted, in days. */
    maxScheduleDays: env.LIFECYCLE_MAX_SCHEDULE_DAYS,
  };
}

/** The webhook function's settings, read once at cold start: a bad one fails the cold start. */
export type WebhookConfig = ReturnType<typeof webhookConfigOf>;

export function loadWebhookConfig(env: Environment): WebhookConfig {
  const summary = "The webhook's configuration is not usable";
  return webhookConfigOf(
    readSettings(webhookVariables, env, summary, { checks: [checkBambooHrTargets] }),
  );
}
