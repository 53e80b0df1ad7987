import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../../shared/runtime/errors/configuration-error.ts";
import { loadWebhookConfig } from "../../../../shared/runtime/webhook/webhook-config.ts";

const QUEUE_URL = "http://127.0.0.1:4566/000000000000/lifecycle-events.fifo";

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadWebhookConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  return [];
}

describe("loadWebhookConfig", () => {
  it("needs only QUEUE_URL, and documents its defaults", () => {
    expect(loadWebhookConfig({ QUEUE_URL })).toEqual({
      queueUrl: QUEUE_URL,
      webhookSecretId: undefined,
      bamboohrSecretId: undefined,
      keysCacheSeconds: 60,
      sqsTimeoutMs: 2_000,
      bamboohrMapping: {
        statusField: "Status",
        subjectField: "",
        externalIdField: "Employee #",
        loginField: "",
        osisCdUserField: "",
        timeZone: "UTC",
      },
      maxFutureSeconds: 300,
      bamboohrApiSecretId: undefined,
      bamboohrApiUrl: undefined,
      bamboohrApiTimeoutMs: 3_000,
      bamboohrDeletedMeans: "offboard",
      bamboohrMaxAgeSeconds: 10800,
      ledgerTable: undefined,
      maxScheduleDays: 400,
    });
  });

  it("reads the secret ids, the tuning and the mapping; an empty target field is switched off", () => {
    const config = loadWebhookConfig({
      QUEUE_URL,
      WEBHOOK_SECRET_ID: " arn:webhook ",
      BAMBOOHR_SECRET_ID: "arn:bamboohr",
      WEBHOOK_KEYS_CACHE_SECONDS: "30",
      WEBHOOK_SQS_TIMEOUT_MS: "1500",
      BAMBOOHR_SUBJECT_FIELD: "Employee #",
      BAMBOOHR_EXTERNAL_ID_FIELD: "",
      BAMBOOHR_LOGIN_FIELD: "Work Email",
      BAMBOOHR_OSIS_CD_USER_FIELD: " Username ",
      BAMBOOHR_STATUS_FIELD: "Employment Status",
      BAMBOOHR_TIME_ZONE: "America/New_York",
    });
    expect(config).toMatchObject({
      webhookSecretId: "arn:webhook",
      bamboohrSecretId: "arn:bamboohr",
      keysCacheSeconds: 30,
      sqsTimeoutMs: 1_500,
      bamboohrMapping: {
        statusField: "Employment Status",
        subjectField: "Employee #",
        externalIdField: "",
        loginField: "Work Email",
        osisCdUserField: "Username",
        timeZone: "America/New_York",
      },
    });
  });

  it("names every bad variable at once", () => {
    expect(
      problemsOf({
        QUEUE_URL: "http://127.0.0.1:4566/000000000000/standard-queue",
        WEBHOOK_SQS_TIMEOUT_MS: "9000",
        WEBHOOK_KEYS_CACHE_SECONDS: "soon",
        BAMBOOHR_STATUS_FIELD: " ",
        BAMBOOHR_EXTERNAL_ID_FIELD: "",
      }),
    ).toEqual([
      "QUEUE_URL must name a FIFO queue (.fifo)",
      "BAMBOOHR_STATUS_FIELD must not be empty",
      'WEBHOOK_KEYS_CACHE_SECONDS must be a whole number from 0 to 60 (got "soon")',
      'WEBHOOK_SQS_TIMEOUT_MS must be a whole number from 100 to 4000 (got "9000")',
      "BAMBOOHR_EXTERNAL_ID_FIELD, BAMBOOHR_LOGIN_FIELD and BAMBOOHR_OSIS_CD_USER_FIELD are all empty: a BambooHR event would name no target",
    ]);
    expect(problemsOf({ QUEUE_URL, BAMBOOHR_TIME_ZONE: "Mars/Olympus" })).toEqual([
      "BAMBOOHR_TIME_ZONE must be an IANA time zone, such as UTC or Europe/Berlin",
    ]);
    expect(problemsOf({})).toEqual(["QUEUE_URL is required"]);
    expect(problemsOf({ QUEUE_URL: "not a url" })).toEqual(["QUEUE_URL must be a queue URL"]);
  });
});
