import { describe, expect, it } from "vitest";
import { readStackConfiguration } from "../../infra/configuration.ts";
import { CONTEXT_KEYS } from "../../infra/context-keys.ts";
import { EXAMPLE_VALUES } from "../../infra/stack-configuration.ts";
import { ConfigurationError } from "../../shared/runtime/errors/configuration-error.ts";

/** The problems a context produces, or [] when it is usable. */
function problemsOf(context: Record<string, unknown>): readonly string[] {
  try {
    readStackConfiguration(context);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    return error.problems;
  }
}

describe("readStackConfiguration", () => {
  it("works with no context at all, on example platform values it names", () => {
    const configuration = readStackConfiguration({});
    expect(configuration).toMatchObject({
      stackName: "HrLifecycleSync",
      accountPlatform: { url: EXAMPLE_VALUES.accountPlatformUrl },
      osis: { url: EXAMPLE_VALUES.osisUrl, basePath: "/api/v1" },
      protectedAccounts: "",
      alarmEmail: undefined,
      consumer: { maxConcurrency: 10, timeoutSeconds: 60, tuning: {} },
      deletionProtection: true,
    });
    expect(configuration.exampleValuesInUse).toEqual([
      "lifecycle:accountPlatformUrl",
      "lifecycle:accountPlatformTenantId",
      "lifecycle:osisUrl",
      "lifecycle:osisCdTenantId",
    ]);
  });

  it("ignores feature flags and other tools' context", () => {
    expect(problemsOf({ "@aws-cdk/core:checkSecretUsage": true, other: 1 })).toEqual([]);
  });

  it("reads values given as strings on the command line", () => {
    const configuration = readStackConfiguration({
      "lifecycle:consumerMaxConcurrency": "12",
      "lifecycle:deletionProtection": "false",
      "lifecycle:protectedAccounts": "root, admin ,,",
      "lifecycle:consumerTuning": '{"CONSUMER_MAX_ATTEMPTS": 7}',
    });
    expect(configuration.consumer.maxConcurrency).toBe(12);
    expect(configuration.deletionProtection).toBe(false);
    expect(configuration.protectedAccounts).toBe("root,admin");
    expect(configuration.consumer.tuning).toEqual({ CONSUMER_MAX_ATTEMPTS: "7" });
  });

  it.each([
    [
      "lifecycle:consumerMaxConcurrency",
      1,
      /lifecycle:consumerMaxConcurrency must be a whole number from 2/,
    ],
    ["lifecycle:consumerMaxConcurrency", "many", /lifecycle:consumerMaxConcurrency/],
    ["lifecycle:consumerTimeoutSeconds", 901, /lifecycle:consumerTimeoutSeconds .* to 900/],
    [
      "lifecycle:accountPlatformUrl",
      "not a url",
      /lifecycle:accountPlatformUrl is not an absolute URL/,
    ],
    ["lifecycle:osisUrl", "http://osis.example.com", /lifecycle:osisUrl must be an https URL/],
    [
      "lifecycle:osisUrl",
      "https://user:pw@osis.example.com",
      /lifecycle:osisUrl must not carry credentials/,
    ],
    ["lifecycle:osisBasePath", "api/v1", /lifecycle:osisBasePath must start with "\/"/],
    ["lifecycle:alarmEmail", "ops", /lifecycle:alarmEmail must be an e-mail address/],
    ["lifecycle:deletionProtection", "yes", /lifecycle:deletionProtection must be true or false/],
    ["lifecycle:logRetentionDays", 10, /lifecycle:logRetentionDays must be one of/],
    ["lifecycle:logLevel", "verbose", /lifecycle:logLevel must be one of DEBUG, INFO, WARN, ERROR/],
    [
      "lifecycle:consumerTuning",
      { POWERTOOLS_METRICS_NAMESPACE: "Other" },
      /POWERTOOLS_METRICS_NAMESPACE is set by the stack itself/,
    ],
    ["lifecycle:stackName", "my stack", /lifecycle:stackName must be a CloudFormation stack name/],
    ["lifecycle:protectedAccounts", 42, /lifecycle:protectedAccounts must be a comma-separated/],
    ["lifecycle:osisSecretArn", "hr/osis", /lifecycle:osisSecretArn must be the complete ARN/],
    [
      "lifecycle:osisSecretArn",
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:hr/osis",
      /lifecycle:osisSecretArn must be the complete ARN/,
    ],
    ["lifecycle:consumerTuning", "{not json", /lifecycle:consumerTuning must be a JSON object/],
    ["lifecycle:consumerTuning", { QUEUE_URL: "x" }, /QUEUE_URL is set by the stack itself/],
    [
      "lifecycle:consumerTuning",
      { BAMBOOHR_LOGIN_FIELD: "Login" },
      /BAMBOOHR_LOGIN_FIELD is set in lifecycle:webhookTuning: the webhook and the consumer share it/,
    ],
    [
      "lifecycle:webhookTuning",
      { "log-level": "debug" },
      /"log-level" is not an environment variable name/,
    ],
    [
      "lifecycle:webhookTuning",
      { LOG_LEVEL: { nested: 1 } },
      /LOG_LEVEL must be a string, number or boolean/,
    ],
    ["lifecycle:osisURL", "https://osis.example.com", /lifecycle:osisURL is not a known key/],
    ["lifecycle:reconcileSchedule", "daily", /lifecycle:reconcileSchedule must be an EventBridge/],
    ["lifecycle:reconcileSchedule", "rate(1 days)", /lifecycle:reconcileSchedule/],
    ["lifecycle:reconcileSchedule", "cron(0 6 * * *)", /lifecycle:reconcileSchedule/],
  ])("refuses %s = %j, naming the key", (key, value, message) => {
    const problems = problemsOf({ [key]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it("reports every bad key at once, in one error", () => {
    const problems = problemsOf({
      "lifecycle:consumerMaxConcurrency": 0,
      "lifecycle:alarmEmail": "nobody",
    });
    expect(problems).toHaveLength(2);
    expect(problems.join("\n")).toMatch(/consumerMaxConcurrency/);
    expect(problems.join("\n")).toMatch(/alarmEmail/);
  });

  it("runs the reconciliation daily unless given another schedule expression", () => {
    expect(readStackConfiguration({}).reconcile).toEqual({
      schedule: "rate(1 day)",
      maxPassHours: 48,
    });
    for (const schedule of ["rate(12 hours)", "rate(1 hour)", "cron(0 6 * * ? *)"]) {
      expect(
        readStackConfiguration({ "lifecycle:reconcileSchedule": schedule }).reconcile.schedule,
      ).toBe(schedule);
    }
  });

  it("accepts complete secret ARNs and every documented key", () => {
    const arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:hr/osis-AbC123";
    expect(readStackConfiguration({ "lifecycle:osisSecretArn": arn }).importedSecretArns.osis).toBe(
      arn,
    );
    expect(CONTEXT_KEYS).toContain("consumerMaxConcurrency");
  });
});

describe("readStackConfiguration, outcomes", () => {
  it("publishes to a bus of the stack's own, as hr-lifecycle-sync, archived 30 days, no webhook", () => {
    expect(readStackConfiguration({}).outcomes).toEqual({
      eventBusName: undefined,
      source: "hr-lifecycle-sync",
      archiveDays: 30,
      webhook: undefined,
    });
  });

  it("takes an existing bus, a source, an archive kept indefinitely and a webhook", () => {
    expect(
      readStackConfiguration({
        "lifecycle:eventBusName": "hr/shared-bus",
        "lifecycle:outcomeSource": "com.example.hr",
        "lifecycle:outcomeArchiveDays": "0",
        "lifecycle:outcomeWebhookUrl": "https://hooks.example.net/outcomes",
      }).outcomes,
    ).toEqual({
      eventBusName: "hr/shared-bus",
      source: "com.example.hr",
      archiveDays: 0,
      webhook: { url: "https://hooks.example.net/outcomes", apiKeyHeader: "x-api-key" },
    });
  });

  it.each([
    [
      "lifecycle:outcomeSource",
      "aws.lifecycle",
      /lifecycle:outcomeSource must not start with "aws\."/,
    ],
    ["lifecycle:outcomeSource", "AWS.Lifecycle", /must not start with "aws\."/],
    [
      "lifecycle:outcomeSource",
      "hr lifecycle",
      /lifecycle:outcomeSource must be 1 to 256 characters/,
    ],
    ["lifecycle:eventBusName", "my bus", /lifecycle:eventBusName must be an EventBridge bus name/],
    ["lifecycle:outcomeArchiveDays", -1, /lifecycle:outcomeArchiveDays must be a whole number/],
    ["lifecycle:outcomeWebhookUrl", "http://hooks.example.net", /must be an https URL/],
    ["lifecycle:outcomeWebhookApiKeyHeader", "x api key", /must be an HTTP header name/],
  ])("refuses %s = %j, naming the key", (key, value, message) => {
    const problems = problemsOf({ [key]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });
});
