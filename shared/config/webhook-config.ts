import { ConfigurationError } from "../errors/configuration-error.ts";
import {
  type BambooHrFieldMapping,
  DEFAULT_BAMBOOHR_MAPPING,
} from "../webhook/bamboohr-mapping.ts";
import type { Environment } from "./consumer-config.ts";

/**
 * The webhook function's settings, read once at cold start. Every variable is documented in
 * docs/webhook.md. A bad configuration fails the cold start with one error naming every problem.
 */
export interface WebhookConfig {
  queueUrl: string;
  /** Only the deployed wiring reads secrets; the local stack gives static keys. */
  webhookSecretId: string | undefined;
  bamboohrSecretId: string | undefined;
  bamboohrMapping: BambooHrFieldMapping;
}

export const BAMBOOHR_MAPPING_VARIABLES = {
  statusField: "BAMBOOHR_STATUS_FIELD",
  subjectField: "BAMBOOHR_SUBJECT_FIELD",
  externalIdField: "BAMBOOHR_EXTERNAL_ID_FIELD",
  loginField: "BAMBOOHR_LOGIN_FIELD",
  osisCdUserField: "BAMBOOHR_OSIS_CD_USER_FIELD",
} as const satisfies Record<keyof BambooHrFieldMapping, string>;

export function loadWebhookConfig(env: Environment): WebhookConfig {
  const problems: string[] = [];
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
  if (problems.length > 0) throw new ConfigurationError("The webhook is not configured", problems);
  return {
    queueUrl,
    webhookSecretId: env.WEBHOOK_SECRET_ID?.trim() || undefined,
    bamboohrSecretId: env.BAMBOOHR_SECRET_ID?.trim() || undefined,
    bamboohrMapping: mapping,
  };
}
