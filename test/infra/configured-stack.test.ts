import { Match } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYNTH_TIMEOUT_MS, type Synthesized, synthesize } from "./synthesize.ts";

const ARN = (name: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}-AbC123`;

/** A deployment's configuration: every kind of context key set, secrets imported by ARN. */
const CONTEXT = {
  "lifecycle:stackName": "HrLifecycleSyncProd",
  "lifecycle:accountPlatformUrl": "https://eu2-cloud.example.net/api/2",
  "lifecycle:accountPlatformTenantId": "ede9f834-70b3-476c-83d9-736f9f8c7dae",
  "lifecycle:osisUrl": "https://osis.example.net",
  "lifecycle:osisBasePath": "/osis/api/v1",
  "lifecycle:osisCdTenantId": "40b97e3c-c3b1-4251-b7de-e9637324683f",
  "lifecycle:osisCdTenantIds": "40b97e3c-c3b1-4251-b7de-e9637324683f, cd-second",
  "lifecycle:protectedAccounts": ["admin", " break-glass "],
  "lifecycle:alarmEmail": "ops@example.net",
  // As `-c key=value` gives them: strings.
  "lifecycle:consumerMaxConcurrency": "20",
  "lifecycle:consumerTimeoutSeconds": "120",
  "lifecycle:consumerTuning":
    '{"CONSUMER_MAX_ATTEMPTS":"8","DRY_RUN":true,"OSIS_CREDENTIALS":"ignore"}',
  "lifecycle:webhookTuning": { LOG_LEVEL: "debug", BAMBOOHR_LOGIN_FIELD: "Login|customLogin" },
  "lifecycle:logRetentionDays": 90,
  "lifecycle:logLevel": "DEBUG",
  "lifecycle:deletionProtection": "false",
  "lifecycle:accountPlatformSecretArn": ARN("hr/account-platform"),
  "lifecycle:osisSecretArn": ARN("hr/osis"),
  "lifecycle:webhookSecretArn": ARN("hr/webhook"),
  "lifecycle:bambooHrSecretArn": ARN("hr/bamboohr"),
  "lifecycle:bambooHrApiSecretArn": ARN("hr/bamboohr-api"),
  "lifecycle:scimTokenSecretArn": ARN("hr/scim"),
  "lifecycle:webhookScimThrottleRatePerSecond": "3",
  "lifecycle:webhookScimThrottleBurst": "4",
  "lifecycle:scimTuning": { SCIM_READ_CONCURRENCY: "4" },
  "lifecycle:reconcileSchedule": "cron(0 6 * * ? *)",
  "lifecycle:webhookBambooHrThrottleRatePerSecond": "5",
  "lifecycle:webhookBambooHrThrottleBurst": "7",
  "lifecycle:webhookWaf": "false",
};

let synthesized: Synthesized;
beforeAll(() => {
  // The functions' bundles do not depend on the configuration, and stack.test.ts checks them:
  // skipping esbuild here halves the infra tests' synth time.
  synthesized = synthesize({ ...CONTEXT, "aws:cdk:bundling-stacks": [] });
}, SYNTH_TIMEOUT_MS);
afterAll(() => synthesized.cleanUp());

const template = () => synthesized.template;
const functionProperties = (part: string) => {
  const [, fn] =
    Object.entries(template().findResources("AWS::Lambda::Function")).find(([id]) =>
      id.includes(part),
    ) ?? [];
  return (fn as { Properties: { Environment: { Variables: Record<string, unknown> } } }).Properties;
};

describe("a configured deployment", () => {
  it("is named by the configuration", () => {
    expect(synthesized.stack.stackName).toBe("HrLifecycleSyncProd");
  });

  it("sets each webhook route's throttle, and leaves WAF out with webhookWaf=false", () => {
    template().hasResourceProperties("AWS::ApiGateway::Stage", {
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          ResourcePath: "/~1bamboohr",
          ThrottlingRateLimit: 5,
          ThrottlingBurstLimit: 7,
        }),
      ]),
    });
    template().resourceCountIs("AWS::WAFv2::WebACL", 0);
    template().resourceCountIs("AWS::WAFv2::WebACLAssociation", 0);
    expect(synthesized.violations.filter((v) => v.plugin !== "Construct Annotations")).toEqual([]);
  });

  it("publishes the platforms as the consumer reaches them, OSIS with its base path", () => {
    template().hasOutput("AccountPlatformUrl", { Value: "https://eu2-cloud.example.net" });
    template().hasOutput("OsisUrl", { Value: "https://osis.example.net/osis/api/v1" });
  });

  it("passes the platform settings and tuning to the consumer, wiring unchanged", () => {
    expect(functionProperties("ConsumerFunction").Environment.Variables).toMatchObject({
      ACCOUNT_PLATFORM_URL: "https://eu2-cloud.example.net/api/2",
      ACCOUNT_PLATFORM_TENANT_ID: "ede9f834-70b3-476c-83d9-736f9f8c7dae",
      OSIS_URL: "https://osis.example.net",
      OSIS_BASE_PATH: "/osis/api/v1",
      OSIS_CD_TENANT_ID: "40b97e3c-c3b1-4251-b7de-e9637324683f",
      OSIS_CD_TENANT_IDS: "40b97e3c-c3b1-4251-b7de-e9637324683f,cd-second",
      PROTECTED_ACCOUNTS: "admin,break-glass",
      CONSUMER_MAX_ATTEMPTS: "8",
      DRY_RUN: "true",
      QUEUE_URL: { Ref: expect.stringMatching(/^QueuesQueue/) },
    });
    expect(functionProperties("WebhookFunction").Environment.Variables).toMatchObject({
      LOG_LEVEL: "debug",
    });
    expect(functionProperties("WebhookFunction").Environment.Variables).not.toHaveProperty(
      "DRY_RUN",
    );
  });

  it("sets every function's application log level from the context", () => {
    for (const part of ["ConsumerFunction", "WebhookFunction", "ReconcileFunction"]) {
      expect(functionProperties(part)).toMatchObject({
        LoggingConfig: { LogFormat: "JSON", ApplicationLogLevel: "DEBUG" },
      });
    }
  });

  it("uses the imported secrets by ARN, creates none, and grants read on exactly those", () => {
    template().resourceCountIs("AWS::SecretsManager::Secret", 0);
    expect(functionProperties("ConsumerFunction").Environment.Variables).toMatchObject({
      ACCOUNT_PLATFORM_SECRET_ID: ARN("hr/account-platform"),
      OSIS_SECRET_ID: ARN("hr/osis"),
      BAMBOOHR_API_SECRET_ID: ARN("hr/bamboohr-api"),
      // The consumer maps what it reads back from BambooHR with the webhook's own settings.
      BAMBOOHR_LOGIN_FIELD: "Login|customLogin",
    });
    expect(functionProperties("ConsumerFunction").Environment.Variables.LOG_LEVEL).toBeUndefined();
    expect(functionProperties("WebhookFunction").Environment.Variables).toMatchObject({
      WEBHOOK_SECRET_ID: ARN("hr/webhook"),
      BAMBOOHR_SECRET_ID: ARN("hr/bamboohr"),
      BAMBOOHR_API_SECRET_ID: ARN("hr/bamboohr-api"),
    });
    template().hasResourceProperties("AWS::IAM::Policy", {
      Roles: [{ Ref: Match.stringLikeRegexp("^ConsumerRole") }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: "Allow",
            Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
            Resource: [ARN("hr/account-platform"), ARN("hr/bamboohr-api"), ARN("hr/osis")],
          },
        ]),
      },
    });
    expect(template().toJSON().Outputs.OsisSecretArn.Value).toBe(ARN("hr/osis"));
    expect(functionProperties("ScimFunction").Environment.Variables).toMatchObject({
      SCIM_TOKEN_SECRET_ID: ARN("hr/scim"),
      ACCOUNT_PLATFORM_SECRET_ID: ARN("hr/account-platform"),
      OSIS_SECRET_ID: ARN("hr/osis"),
      SCIM_READ_CONCURRENCY: "4",
    });
    template().hasResourceProperties("AWS::ApiGateway::Stage", {
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          ResourcePath: "/~1scim~1v2~1{proxy+}",
          ThrottlingRateLimit: 3,
          ThrottlingBurstLimit: 4,
        }),
      ]),
    });
  });

  it("sizes the event source and the visibility timeout from the consumer settings", () => {
    template().hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      ScalingConfig: { MaximumConcurrency: 20 },
    });
    template().hasResourceProperties("AWS::Lambda::Function", { Timeout: 120 });
    template().hasResourceProperties("AWS::SQS::Queue", { VisibilityTimeout: 720 });
  });

  it("gives the reconciliation the consumer's OSIS_CREDENTIALS, and no other consumer tuning", () => {
    expect(functionProperties("ConsumerFunction").Environment.Variables).toMatchObject({
      OSIS_CREDENTIALS: "ignore",
    });
    const reconcile = functionProperties("ReconcileFunction").Environment.Variables;
    expect(reconcile).toMatchObject({ OSIS_CREDENTIALS: "ignore" });
    expect(reconcile).not.toHaveProperty("CONSUMER_MAX_ATTEMPTS");
    expect(reconcile).not.toHaveProperty("DRY_RUN");
  });

  it("schedules the reconciliation as configured, reading the imported secrets", () => {
    template().hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "cron(0 6 * * ? *)",
    });
    template().hasResourceProperties("AWS::IAM::Policy", {
      Roles: [{ Ref: Match.stringLikeRegexp("^ReconcileRole") }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: "Allow",
            Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
            Resource: [ARN("hr/account-platform"), ARN("hr/osis")],
          },
        ]),
      },
    });
  });

  it("runs dry, so no alarm counts the DLQ's depth, which its dry_run plans fill by design", () => {
    const alarms = Object.keys(template().findResources("AWS::CloudWatch::Alarm"));
    expect(alarms.some((id) => id.startsWith("AlarmsDeadLetterArrived"))).toBe(true);
    expect(alarms.some((id) => id.startsWith("AlarmsDeadLetterQueueNotEmpty"))).toBe(false);
  });

  it("mails the alarm topic", () => {
    template().hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "ops@example.net",
    });
  });

  it("without deletion protection, lets the ledger and the logs go with the stack", () => {
    template().hasResource("AWS::DynamoDB::Table", {
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
      DeletionPolicy: "Delete",
    });
    for (const [, group] of Object.entries(template().findResources("AWS::Logs::LogGroup"))) {
      expect(group).toMatchObject({
        DeletionPolicy: "Delete",
        Properties: { RetentionInDays: 90 },
      });
    }
  });

  it("has no finding at all: no unacknowledged cdk-nag rule, no example value", () => {
    expect(synthesized.violations).toEqual([]);
  });
});
