import { describe, expect, it } from "vitest";
import { loadConsumerConfig } from "../../../../shared/runtime/consumer/consumer-config.ts";
import { ConfigurationError } from "../../../../shared/runtime/errors/configuration-error.ts";

const complete = {
  QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/lifecycle-events.fifo",
  DLQ_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/lifecycle-events-dlq.fifo",
  LEDGER_TABLE: "lifecycle-ledger",
  ACCOUNT_PLATFORM_URL: "https://dc.example.com/api/2/",
  ACCOUNT_PLATFORM_TENANT_ID: "tenant-1",
  OSIS_URL: "https://osis.example.com",
  OSIS_CD_TENANT_ID: "cd-1",
};

function problemsOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    loadConsumerConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigurationError");
}

describe("loadConsumerConfig", () => {
  it("reads a complete environment, with defaults for every tuning variable", () => {
    const config = loadConsumerConfig(complete);
    expect(config.accountPlatform.url).toBe("https://dc.example.com");
    expect(config.osis).toEqual({
      url: "https://osis.example.com",
      basePath: "/api/v1",
      cdTenantId: "cd-1",
      cdTenantIds: new Set(["cd-1"]),
      secretId: undefined,
      credentials: "deactivate",
    });
    expect(config.maxAttempts).toBe(5);
    // Every group of a full batch (10 records) at once.
    expect(config.groupConcurrency).toBe(10);
    expect(config.backoff).toEqual({ baseSeconds: 5, capSeconds: 300 });
    expect(config.versionConflictRetries).toBe(3);
    expect(config.platformTimeoutMs).toBe(5_000);
    expect(config.dryRun).toBe(false);
    expect(config.protectedAccounts.size).toBe(0);
    expect(config.maxScheduleDays).toBe(400);
  });

  it("reads OSIS_CREDENTIALS (deactivate by default, or ignore), and names a bad value", () => {
    const ignore = loadConsumerConfig({ ...complete, OSIS_CREDENTIALS: "ignore" });
    expect(ignore.osis.credentials).toBe("ignore");
    expect(problemsOf({ ...complete, OSIS_CREDENTIALS: "delete" })).toEqual([
      'OSIS_CREDENTIALS must be deactivate or ignore (got "delete")',
    ]);
  });

  it("reads LIFECYCLE_MAX_SCHEDULE_DAYS, and names a bad value", () => {
    expect(
      loadConsumerConfig({ ...complete, LIFECYCLE_MAX_SCHEDULE_DAYS: "30" }).maxScheduleDays,
    ).toBe(30);
    expect(problemsOf({ ...complete, LIFECYCLE_MAX_SCHEDULE_DAYS: "0" })).toEqual([
      expect.stringContaining("LIFECYCLE_MAX_SCHEDULE_DAYS"),
    ]);
  });

  it("waits out a platform outage for six hours by default, within the source queue's limits", () => {
    expect(loadConsumerConfig(complete).outage).toEqual({
      breakerFailures: 10,
      probeIntervalSeconds: 5,
      waitSeconds: 30,
      patienceSeconds: 21_600,
    });
  });

  it("refuses a patience the source queue cannot keep a waiting record for", () => {
    // Past the retention, SQS would delete the record before it reached the DLQ.
    expect(problemsOf({ ...complete, CONSUMER_OUTAGE_PATIENCE_SECONDS: "1209590" })).toEqual([
      expect.stringContaining("below the source queue's retention"),
      expect.stringContaining("receives of a waiting record"),
    ]);
    // Each return of a waiting record is a receive: too many, and SQS moves it without a reason.
    expect(problemsOf({ ...complete, CONSUMER_OUTAGE_PATIENCE_SECONDS: "43200" })).toEqual([
      expect.stringContaining("raise CONSUMER_OUTAGE_WAIT_SECONDS"),
    ]);
    expect(
      loadConsumerConfig({
        ...complete,
        CONSUMER_OUTAGE_PATIENCE_SECONDS: "43200",
        CONSUMER_OUTAGE_WAIT_SECONDS: "60",
      }).outage.patienceSeconds,
    ).toBe(43_200);
  });

  it("reads the OSIS cd tenants a user may be in, which must include OSIS_CD_TENANT_ID", () => {
    const both = loadConsumerConfig({ ...complete, OSIS_CD_TENANT_IDS: " cd-2, cd-1 ," });
    expect(both.osis.cdTenantIds).toEqual(new Set(["cd-2", "cd-1"]));
    expect(problemsOf({ ...complete, OSIS_CD_TENANT_IDS: "cd-2" })).toEqual([
      "OSIS_CD_TENANT_IDS must list OSIS_CD_TENANT_ID (cd-1), the cd tenant of events that name none",
    ]);
  });

  it("names every missing variable at once", () => {
    const problems = problemsOf({});
    for (const name of [
      "QUEUE_URL",
      "DLQ_URL",
      "LEDGER_TABLE",
      "ACCOUNT_PLATFORM_URL",
      "ACCOUNT_PLATFORM_TENANT_ID",
      "OSIS_URL",
      "OSIS_CD_TENANT_ID",
    ]) {
      expect(problems).toContain(`${name} is required`);
    }
  });

  it("names every bad tuning variable, the queue kind and the dry-run switch", () => {
    const problems = problemsOf({
      ...complete,
      QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/1/standard-queue",
      CONSUMER_MAX_ATTEMPTS: "0",
      CONSUMER_GROUP_CONCURRENCY: "many",
      CONSUMER_BACKOFF_BASE_SECONDS: "60",
      CONSUMER_BACKOFF_CAP_SECONDS: "30",
      DRY_RUN: "perhaps",
      OSIS_URL: "ftp://osis.example.com",
    });
    expect(problems.join("\n")).toMatch(/QUEUE_URL must name a FIFO queue/);
    expect(problems.join("\n")).toMatch(/CONSUMER_MAX_ATTEMPTS must be a whole number/);
    expect(problems.join("\n")).toMatch(/CONSUMER_GROUP_CONCURRENCY must be a whole number/);
    expect(problems.join("\n")).toMatch(/CONSUMER_BACKOFF_CAP_SECONDS \(30\) must not be below/);
    expect(problems.join("\n")).toMatch(/DRY_RUN must be true or false/);
    expect(problems.join("\n")).toMatch(/OSIS_URL must be an http\(s\) URL/);
  });

  it("reads the protected accounts case-insensitively, and the secret ids and dry run", () => {
    const config = loadConsumerConfig({
      ...complete,
      PROTECTED_ACCOUNTS: " Admin@Example.com, ,break-glass ",
      ACCOUNT_PLATFORM_SECRET_ID: "arn:ap",
      OSIS_SECRET_ID: "arn:osis",
      DRY_RUN: "true",
    });
    expect([...config.protectedAccounts]).toEqual(["admin@example.com", "break-glass"]);
    expect(config.accountPlatform.secretId).toBe("arn:ap");
    expect(config.osis.secretId).toBe("arn:osis");
    expect(config.dryRun).toBe(true);
  });
});

describe("the consumer's outcome bus", () => {
  it("is off without OUTCOME_BUS_NAME, and publishes as hr-lifecycle-sync by default", () => {
    expect(loadConsumerConfig(complete).outcomes).toBeUndefined();
    expect(loadConsumerConfig({ ...complete, OUTCOME_BUS_NAME: "lifecycle" }).outcomes).toEqual({
      busName: "lifecycle",
      source: "hr-lifecycle-sync",
    });
    expect(
      loadConsumerConfig({ ...complete, OUTCOME_BUS_NAME: "lifecycle", OUTCOME_SOURCE: "acme.hr" })
        .outcomes,
    ).toEqual({ busName: "lifecycle", source: "acme.hr" });
  });

  it("refuses a source EventBridge reserves for AWS", () => {
    expect(
      problemsOf({ ...complete, OUTCOME_BUS_NAME: "b", OUTCOME_SOURCE: "aws.lambda" }),
    ).toEqual([
      "OUTCOME_SOURCE must not start with aws. (EventBridge reserves it for AWS services)",
    ]);
  });
});
