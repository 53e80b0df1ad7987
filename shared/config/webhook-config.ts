import { ConfigurationError } from "../errors/configuration-error.ts";
import {
  type BambooHrFieldMapping,
  DEFAULT_BAMBOOHR_MAPPING,
} from "../webhook/bamboohr-mapping.ts";
import { type Environment, type IntegerSetting, readEnvironment } from "./environment-reader.ts";

/**
 * The webhook function's settings, read once at cold start. Every variable is documented in
 * docs/webhook.md. A bad configuration fails the cold start with one error naming every problem.
 */
export interface WebhookConfig {
  queueUrl: string;
  /** Only the deployed wiring reads secrets; the local stack gives static keys. */
  webhookSecretId: string | undefined;
  bamboohrSecretId: string | undefined;
  /** How long the deployed function trusts the signing keys it read before reading again. */
  keysCacheSeconds: number;
  /** Per SQS request; with one retry it stays well inside the function's 10 s timeout. */
  sqsTimeoutMs: number;
  bamboohrMapping: BambooHrFieldMapping;
}

export const WEBHOOK_TUNING = {
  keysCacheSeconds: { name: "WEBHOOK_KEYS_CACHE_SECONDS", fallback: 300, min: 0, max: 3_600 },
  sqsTimeoutMs: { name: "WEBHOOK_SQS_TIMEOUT_MS", fallback: 2_000, min: 100, max: 4_000 },
} as const satisfies Record<string, IntegerSetting>;

/** An empty value switches a target field off; the status field cannot be switched off. */
export const BAMBOOHR_MAPPING_VARIABLES = {
  statusField: "BAMBOOHR_STATUS_FIELD",
  subjectField: "BAMBOOHR_SUBJECT_FIELD",
  externalIdField: "BAMBOOHR_EXTERNAL_ID_FIELD",
  loginField: "BAMBOOHR_LOGIN_FIELD",
  osisCdUserField: "BAMBOOHR_OSIS_CD_USER_FIELD",
} as const satisfies Record<keyof BambooHrFieldMapping, string>;

export function loadWebhookConfig(env: Environment): WebhookConfig {
  const { problems, integer } = readEnvironment(env);

  const queueUrl = env.QUEUE_URL?.trim() ?? "";
  if (queueUrl === "") problems.push("QUEUE_URL is required");
  else if (!URL.canParse(queueUrl)) problems.push("QUEUE_URL must be a queue URL");
  else if (!queueUrl.endsWith(".fifo")) problems.push("QUEUE_URL must name a FIFO queue (.fifo)");

  const mapping = { ...DEFAULT_BAMBOOHR_MAPPING };
  for (const [key, name] of Object.entries(BAMBOOHR_MAPPING_VARIABLES) as [
    keyof BambooHrFieldMapping,
    string,
  ][]) {
    const value = env[name];
    if (value !== undefined) mapping[key] = value.trim();
  }
  if (mapping.statusField === "") problems.push("BAMBOOHR_STATUS_FIELD must not be empty");
  if (!mapping.externalIdField && !mapping.loginField && !mapping.osisCdUserField) {
    problems.push(
      "BAMBOOHR_EXTERNAL_ID_FIELD, BAMBOOHR_LOGIN_FIELD and BAMBOOHR_OSIS_CD_USER_FIELD are all empty: a BambooHR event would name no target",
    );
  }

  const config: WebhookConfig = {
    queueUrl,
    webhookSecretId: env.WEBHOOK_SECRET_ID?.trim() || undefined,
    bamboohrSecretId: env.BAMBOOHR_SECRET_ID?.trim() || undefined,
    keysCacheSeconds: integer(WEBHOOK_TUNING.keysCacheSeconds),
    sqsTimeoutMs: integer(WEBHOOK_TUNING.sqsTimeoutMs),
    bamboohrMapping: mapping,
  };
  if (problems.length > 0) {
    throw new ConfigurationError("The webhook's configuration is not usable", problems);
  }
  return config;
}
