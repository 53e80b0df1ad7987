import * as z from "zod";
import { DELETED_MEANS } from "../webhook/bamboohr-delivery.ts";
import { DEFAULT_BAMBOOHR_MAPPING } from "../webhook/bamboohr-mapping.ts";
import { isTimeZone } from "../webhook/end-of-day.ts";
import {
  type Environment,
  everyTime,
  fifoQueueUrl,
  httpUrl,
  maxFutureSeconds,
  maxScheduleDays,
  optionalText,
  parseSettings,
  setting,
  wholeNumber,
} from "./setting-fields.ts";

/** A BambooHR field name; set but empty switches a target field off. */
const bambooHrField = (fallback: string) => z.string().trim().default(fallback);

/**
 * The webhook function's environment: every variable, its rule and its default, documented in
 * docs/webhook.md. A new setting is one line here and one in the config below.
 */
export const webhookEnvironment = z
  .object({
    QUEUE_URL: fifoQueueUrl,
    /** Only the deployed wiring reads secrets; the local stack gives static keys. */
    WEBHOOK_SECRET_ID: optionalText,
    BAMBOOHR_SECRET_ID: optionalText,
    BAMBOOHR_API_SECRET_ID: optionalText,
    /** Undefined: `https://{companyDomain}.bamboohr.com`, the domain from the API secret. */
    BAMBOOHR_API_URL: setting(
      httpUrl.transform((url) => url.trim().replace(/\/+$/, "")).optional(),
    ),
    /** Per attempt of the employee read; two attempts at most. */
    BAMBOOHR_API_TIMEOUT_MS: wholeNumber(3_000, 500, 5_000),
    BAMBOOHR_DELETED_MEANS: setting(
      z.enum(DELETED_MEANS, { error: `must be ${DELETED_MEANS.join(" or ")}` }).default("offboard"),
    ),
    /** The ledger, read (GetItem only) for a deleted employee the API can no longer read. */
    LEDGER_TABLE: optionalText,
    BAMBOOHR_STATUS_FIELD: bambooHrField(DEFAULT_BAMBOOHR_MAPPING.statusField).refine(
      (field) => field !== "",
      "must not be empty",
    ),
    BAMBOOHR_SUBJECT_FIELD: bambooHrField(DEFAULT_BAMBOOHR_MAPPING.subjectField),
    BAMBOOHR_EXTERNAL_ID_FIELD: bambooHrField(DEFAULT_BAMBOOHR_MAPPING.externalIdField),
    BAMBOOHR_LOGIN_FIELD: bambooHrField(DEFAULT_BAMBOOHR_MAPPING.loginField),
    BAMBOOHR_OSIS_CD_USER_FIELD: bambooHrField(DEFAULT_BAMBOOHR_MAPPING.osisCdUserField),
    /** The zone a termination date ends in: the offboard is scheduled for that day's end. */
    BAMBOOHR_TIME_ZONE: z
      .string()
      .trim()
      .default(DEFAULT_BAMBOOHR_MAPPING.timeZone)
      .refine(isTimeZone, "must be an IANA time zone, such as UTC or Europe/Berlin"),
    /**
     * How long the deployed function trusts the signing keys it read before reading again: a
     * key removed from its secret stops verifying within this, so it is at most a minute.
     */
    WEBHOOK_KEYS_CACHE_SECONDS: wholeNumber(60, 0, 60),
    /** Per SQS request; with one retry it stays well inside the function's 25 s timeout. */
    WEBHOOK_SQS_TIMEOUT_MS: wholeNumber(2_000, 100, 4_000),
    LIFECYCLE_MAX_FUTURE_SECONDS: maxFutureSeconds,
    LIFECYCLE_MAX_SCHEDULE_DAYS: maxScheduleDays,
  })
  .superRefine((env, context) => {
    const targets = [
      env.BAMBOOHR_EXTERNAL_ID_FIELD,
      env.BAMBOOHR_LOGIN_FIELD,
      env.BAMBOOHR_OSIS_CD_USER_FIELD,
    ];
    if (targets.every((field) => field === "")) {
      context.addIssue({
        code: "custom",
        message:
          "BAMBOOHR_EXTERNAL_ID_FIELD, BAMBOOHR_LOGIN_FIELD and BAMBOOHR_OSIS_CD_USER_FIELD are all empty: a BambooHR event would name no target",
      });
    }
  }, everyTime)
  .transform((env) => ({
    queueUrl: env.QUEUE_URL,
    webhookSecretId: env.WEBHOOK_SECRET_ID,
    bamboohrSecretId: env.BAMBOOHR_SECRET_ID,
    bamboohrApiSecretId: env.BAMBOOHR_API_SECRET_ID,
    bamboohrApiUrl: env.BAMBOOHR_API_URL,
    bamboohrApiTimeoutMs: env.BAMBOOHR_API_TIMEOUT_MS,
    bamboohrDeletedMeans: env.BAMBOOHR_DELETED_MEANS,
    ledgerTable: env.LEDGER_TABLE,
    keysCacheSeconds: env.WEBHOOK_KEYS_CACHE_SECONDS,
    sqsTimeoutMs: env.WEBHOOK_SQS_TIMEOUT_MS,
    bamboohrMapping: {
      statusField: env.BAMBOOHR_STATUS_FIELD,
      subjectField: env.BAMBOOHR_SUBJECT_FIELD,
      externalIdField: env.BAMBOOHR_EXTERNAL_ID_FIELD,
      loginField: env.BAMBOOHR_LOGIN_FIELD,
      osisCdUserField: env.BAMBOOHR_OSIS_CD_USER_FIELD,
      timeZone: env.BAMBOOHR_TIME_ZONE,
    },
    /** How far ahead of now an event's `time` may be. */
    maxFutureSeconds: env.LIFECYCLE_MAX_FUTURE_SECONDS,
    /** The furthest `data.effectiveAt` accepted, in days. */
    maxScheduleDays: env.LIFECYCLE_MAX_SCHEDULE_DAYS,
  }));

/** The webhook function's settings, read once at cold start: a bad one fails the cold start. */
export type WebhookConfig = z.output<typeof webhookEnvironment>;

export function loadWebhookConfig(env: Environment): WebhookConfig {
  return parseSettings(webhookEnvironment, env, "The webhook's configuration is not usable");
}
