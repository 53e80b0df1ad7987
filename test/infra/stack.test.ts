import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Stage } from "aws-cdk-lib";
import { Match } from "aws-cdk-lib/assertions";
import type { Asset } from "aws-cdk-lib/aws-s3-assets";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRODUCT_METRICS } from "../../shared/contract/metrics.ts";
import { PLACEHOLDER } from "../../shared/contract/secrets.ts";
import { SYNTH_TIMEOUT_MS, type Synthesized, synthesize } from "./synthesize.ts";

/** The stack as a fresh clone synthesizes it: no context at all. */
let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthesize();
}, SYNTH_TIMEOUT_MS);
afterAll(() => synthesized.cleanUp());

const template = () => synthesized.template;
const resources = (type: string) => Object.entries(template().findResources(type));
const logicalId = (type: string, pathPart: string): string => {
  const found = resources(type).filter(([id]) => id.includes(pathPart));
  expect(found, `one ${type} named like ${pathPart}`).toHaveLength(1);
  return (found[0] as [string, unknown])[0];
};
const getAtt = (id: string) => ({ "Fn::GetAtt": [id, "Arn"] });
/** The same elements in any order, nothing more. */
const sameMembers = (expected: unknown[]) => (actual: unknown) =>
  Array.isArray(actual) &&
  JSON.stringify(actual.map((a) => JSON.stringify(a)).sort()) ===
    JSON.stringify(expected.map((e) => JSON.stringify(e)).sort());

describe("queues", () => {
  it("has a FIFO source queue and FIFO DLQ, both encrypted, ids from events, kept 14 days", () => {
    const queues = resources("AWS::SQS::Queue");
    expect(queues).toHaveLength(2);
    for (const [, queue] of queues) {
      expect(queue).toMatchObject({
        Properties: {
          FifoQueue: true,
          ContentBasedDeduplication: false,
          SqsManagedSseEnabled: true,
          MessageRetentionPeriod: 14 * 24 * 3600,
        },
      });
    }
  });

  it("refuses non-TLS access to both queues", () => {
    for (const part of ["QueuesQueue", "QueuesDeadLetterQueue"]) {
      const queue = logicalId("AWS::SQS::Queue", part);
      template().hasResourceProperties("AWS::SQS::QueuePolicy", {
        Queues: [{ Ref: queue }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: "Deny",
              Action: "sqs:*",
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            }),
          ]),
        },
      });
    }
  });

  it("redrives to the DLQ only as a backstop, and has no redrive-allow cycle", () => {
    const dlq = logicalId("AWS::SQS::Queue", "QueuesDeadLetterQueue");
    template().hasResourceProperties("AWS::SQS::Queue", {
      RedrivePolicy: { deadLetterTargetArn: getAtt(dlq), maxReceiveCount: 1_000 },
    });
    template().hasResourceProperties("AWS::SQS::Queue", {
      FifoQueue: true,
      RedrivePolicy: Match.absent(),
      RedriveAllowPolicy: Match.absent(),
    });
  });

  it("keeps the source queue's messages 16 KiB under the DLQ's, so any of them can be dead-lettered", () => {
    const dlq = logicalId("AWS::SQS::Queue", "QueuesDeadLetterQueue");
    template().hasResourceProperties("AWS::SQS::Queue", {
      RedrivePolicy: Match.objectLike({ deadLetterTargetArn: getAtt(dlq) }),
      MaximumMessageSize: 1_048_576 - 16_384,
    });
    expect(template().toJSON().Resources[dlq].Properties.MaximumMessageSize).toBeUndefined();
  });

  it("gives the source queue a visibility timeout of six times the consumer's timeout", () => {
    const consumer = logicalId("AWS::Lambda::Function", "ConsumerFunction");
    const timeout = template().toJSON().Resources[consumer].Properties.Timeout;
    expect(timeout).toBe(60);
    template().hasResourceProperties("AWS::SQS::Queue", { VisibilityTimeout: 6 * timeout });
  });
});

describe("logs and metrics", () => {
  it("log JSON at the application level INFO, each function naming its service and the namespace the dashboard reads", () => {
    for (const [part, service] of [
      ["ConsumerFunction", "consumer"],
      ["WebhookFunction", "webhook"],
      ["ReconcileFunction", "reconcile"],
      ["SchedulerFunction", "scheduler"],
    ] as const) {
      const properties =
        template().toJSON().Resources[logicalId("AWS::Lambda::Function", part)].Properties;
      expect(properties.LoggingConfig).toMatchObject({
        LogFormat: "JSON",
        ApplicationLogLevel: "INFO",
      });
      expect(properties.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: service,
        POWERTOOLS_METRICS_NAMESPACE: PRODUCT_METRICS.namespace,
      });
    }
    expect(PRODUCT_METRICS.namespace).toBe("HrLifecycleSync");
  });
});

describe("consumer", () => {
  it("runs Node 24 on arm64 with source maps, a log group with a retention", () => {
    const logs = logicalId("AWS::Logs::LogGroup", "ConsumerLogs");
    template().hasResourceProperties("AWS::Lambda::Function", {
      Runtime: "nodejs24.x",
      Architectures: ["arm64"],
      Handler: "index.handler",
      MemorySize: 512,
      LoggingConfig: { LogGroup: { Ref: logs } },
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: "--enable-source-maps" }) },
    });
    template().hasResourceProperties("AWS::Logs::LogGroup", { RetentionInDays: 30 });
  });

  it("is configured by exactly the agreed environment variables, secrets by ARN", () => {
    const consumer = logicalId("AWS::Lambda::Function", "ConsumerFunction");
    const variables = template().toJSON().Resources[consumer].Properties.Environment.Variables;
    expect(Object.keys(variables).sort()).toEqual(
      [
        "QUEUE_URL",
        "DLQ_URL",
        "LEDGER_TABLE",
        "ACCOUNT_PLATFORM_URL",
        "ACCOUNT_PLATFORM_TENANT_ID",
        "ACCOUNT_PLATFORM_SECRET_ID",
        "OSIS_URL",
        "OSIS_BASE_PATH",
        "OSIS_CD_TENANT_ID",
        "OSIS_CD_TENANT_IDS",
        "OSIS_SECRET_ID",
        "PROTECTED_ACCOUNTS",
        "BAMBOOHR_API_SECRET_ID",
        "OUTCOME_BUS_NAME",
        "OUTCOME_SOURCE",
        "NODE_OPTIONS",
        "POWERTOOLS_SERVICE_NAME",
        "POWERTOOLS_METRICS_NAMESPACE",
      ].sort(),
    );
    expect(variables).toMatchObject({
      BAMBOOHR_API_SECRET_ID: {
        Ref: logicalId("AWS::SecretsManager::Secret", "BambooHrApiSecret"),
      },
      QUEUE_URL: { Ref: logicalId("AWS::SQS::Queue", "QueuesQueue") },
      DLQ_URL: { Ref: logicalId("AWS::SQS::Queue", "QueuesDeadLetterQueue") },
      LEDGER_TABLE: { Ref: logicalId("AWS::DynamoDB::Table", "Ledger") },
      ACCOUNT_PLATFORM_URL: "https://account.example.com",
      OSIS_BASE_PATH: "/api/v1",
      ACCOUNT_PLATFORM_SECRET_ID: {
        Ref: logicalId("AWS::SecretsManager::Secret", "AccountPlatformSecret"),
      },
      OSIS_SECRET_ID: { Ref: logicalId("AWS::SecretsManager::Secret", "OsisSecret") },
      PROTECTED_ACCOUNTS: "",
    });
  });

  it("takes FIFO batches of 10 with partial batch responses and a maximum concurrency", () => {
    template().resourceCountIs("AWS::Lambda::EventSourceMapping", 1);
    template().hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: getAtt(logicalId("AWS::SQS::Queue", "QueuesQueue")),
      FunctionName: { Ref: logicalId("AWS::Lambda::Function", "ConsumerFunction") },
      BatchSize: 10,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
  });

  it("may do exactly its job: consume its queue, send to its DLQ, use the ledger, read 3 secrets, publish outcomes", () => {
    const policy = logicalId("AWS::IAM::Policy", "ConsumerRole");
    const statements = template().toJSON().Resources[policy].Properties.PolicyDocument.Statement;
    expect(statements).toEqual([
      {
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: getAtt(logicalId("AWS::Logs::LogGroup", "ConsumerLogs")),
      },
      {
        Effect: "Allow",
        Action: [
          "sqs:ChangeMessageVisibility",
          "sqs:DeleteMessage",
          "sqs:GetQueueAttributes",
          "sqs:GetQueueUrl",
          "sqs:ReceiveMessage",
        ],
        Resource: getAtt(logicalId("AWS::SQS::Queue", "QueuesQueue")),
      },
      {
        Effect: "Allow",
        Action: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"],
        Resource: getAtt(logicalId("AWS::SQS::Queue", "QueuesDeadLetterQueue")),
      },
      {
        Effect: "Allow",
        // Exactly what shared/runtime/ledger and shared/runtime/guard call: no Scan, DeleteItem or batch writes.
        Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
        Resource: getAtt(logicalId("AWS::DynamoDB::Table", "Ledger")),
      },
      // Deletes pending-change and outbox items only, once done with.
      changeItemDelete(getAtt(logicalId("AWS::DynamoDB::Table", "Ledger"))),
      {
        Effect: "Allow",
        Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
        Resource: expect.toSatisfy(
          sameMembers([
            { Ref: logicalId("AWS::SecretsManager::Secret", "AccountPlatformSecret") },
            { Ref: logicalId("AWS::SecretsManager::Secret", "OsisSecret") },
            // Read when a BambooHR signal is read back.
            { Ref: logicalId("AWS::SecretsManager::Secret", "BambooHrApiSecret") },
          ]),
        ),
      },
      outcomePublish(),
    ]);
  });

  it("has no managed policy and no other policy", () => {
    const role = logicalId("AWS::IAM::Role", "ConsumerRole");
    expect(template().toJSON().Resources[role].Properties.ManagedPolicyArns).toBeUndefined();
    const attached = resources("AWS::IAM::Policy").filter(([, policy]) =>
      JSON.stringify(policy).includes(`"${role}"`),
    );
    expect(attached).toHaveLength(1);
  });

  it("is bundled as one minified ES module with the createRequire banner and a source map", () => {
    const fn = synthesized.stack.consumer.lambda.function;
    const asset = fn.node.findChild("Code") as Asset;
    const directory = join(Stage.of(fn)?.outdir ?? "", asset.assetPath);
    const code = readFileSync(join(directory, "index.mjs"), "utf8");
    expect(code.startsWith("import { createRequire } from 'node:module';")).toBe(true);
    expect(code).toMatch(/sourceMappingURL=index\.mjs\.map/);
    expect(readFileSync(join(directory, "index.mjs.map"), "utf8")).toContain("handler.ts");
  });
});

describe("webhook", () => {
  it("is a Node 24 arm64 function configured by its agreed variables", () => {
    const webhook = logicalId("AWS::Lambda::Function", "WebhookFunction");
    const properties = template().toJSON().Resources[webhook].Properties;
    expect(properties).toMatchObject({ Runtime: "nodejs24.x", Architectures: ["arm64"] });
    expect(Object.keys(properties.Environment.Variables).sort()).toEqual(
      [
        "QUEUE_URL",
        "WEBHOOK_SECRET_ID",
        "BAMBOOHR_SECRET_ID",
        "BAMBOOHR_API_SECRET_ID",
        "LEDGER_TABLE",
        "NODE_OPTIONS",
        "POWERTOOLS_SERVICE_NAME",
        "POWERTOOLS_METRICS_NAMESPACE",
      ].sort(),
    );
  });

  it("waits long enough for BambooHR's API read, inside API Gateway's 30 s", () => {
    const webhook = logicalId("AWS::Lambda::Function", "WebhookFunction");
    expect(template().toJSON().Resources[webhook].Properties.Timeout).toBe(25);
  });

  it("may send to the source queue, read its three secrets and GetItem the ledger, nothing else", () => {
    const policy = logicalId("AWS::IAM::Policy", "WebhookRole");
    const statements = template().toJSON().Resources[policy].Properties.PolicyDocument.Statement;
    expect(statements).toEqual([
      ...logsQueueAndSecrets("WebhookLogs", [
        "WebhookSecret",
        "BambooHrSecret",
        "BambooHrApiSecret",
      ]),
      {
        Effect: "Allow",
        Action: "dynamodb:GetItem",
        Resource: getAtt(logicalId("AWS::DynamoDB::Table", "LedgerTable")),
      },
    ]);
  });

  it("is served by a regional REST API: every method of /events and /bamboohr to the function", () => {
    template().resourceCountIs("AWS::ApiGateway::RestApi", 1);
    template().hasResourceProperties("AWS::ApiGateway::RestApi", {
      EndpointConfiguration: { Types: ["REGIONAL"] },
      BinaryMediaTypes: ["*/*"],
    });
    const paths = resources("AWS::ApiGateway::Resource").map(
      ([, resource]) => (resource as { Properties: { PathPart: string } }).Properties.PathPart,
    );
    expect(paths.sort()).toEqual(["bamboohr", "events", "scim", "v2", "{proxy+}"]);
    const methods = resources("AWS::ApiGateway::Method").map(
      ([, method]) =>
        (method as { Properties: { HttpMethod: string; Integration: { Type: string } } })
          .Properties,
    );
    expect(methods).toHaveLength(3);
    for (const method of methods) {
      expect(method).toMatchObject({ HttpMethod: "ANY", Integration: { Type: "AWS_PROXY" } });
    }
    template().hasResourceProperties("AWS::ApiGateway::GatewayResponse", {
      ResponseType: "MISSING_AUTHENTICATION_TOKEN",
      StatusCode: "404",
    });
  });

  it("throttles each route on its own and writes JSON access logs without headers", () => {
    template().hasResourceProperties("AWS::ApiGateway::Stage", {
      StageName: "webhooks",
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          ResourcePath: "/*",
          HttpMethod: "*",
          ThrottlingRateLimit: 50,
          ThrottlingBurstLimit: 100,
        }),
        Match.objectLike({
          ResourcePath: "/~1events",
          HttpMethod: "*",
          ThrottlingRateLimit: 50,
          ThrottlingBurstLimit: 100,
        }),
        Match.objectLike({
          ResourcePath: "/~1bamboohr",
          HttpMethod: "*",
          ThrottlingRateLimit: 10,
          ThrottlingBurstLimit: 20,
        }),
      ]),
      AccessLogSetting: {
        DestinationArn: Match.objectLike({
          "Fn::Join": [
            "",
            Match.arrayWith([{ Ref: logicalId("AWS::Logs::LogGroup", "WebhookAccessLogs") }]),
          ],
        }),
        Format: Match.stringLikeRegexp("requestId"),
      },
    });
    const stage = resources("AWS::ApiGateway::Stage")[0]?.[1] as {
      Properties: { AccessLogSetting: { Format: string } };
    };
    const format = JSON.parse(stage.Properties.AccessLogSetting.Format);
    expect(format).toMatchObject({
      service: "webhook-api",
      requestId: "$context.requestId",
      status: "$context.status",
      errorType: "$context.error.responseType",
    });
    expect(stage.Properties.AccessLogSetting.Format).not.toMatch(/header|body/i);
  });

  it("answers a throttled request 503 with Retry-After, which BambooHR retries (never a 4xx)", () => {
    template().hasResourceProperties("AWS::ApiGateway::GatewayResponse", {
      ResponseType: "THROTTLED",
      StatusCode: "503",
      ResponseParameters: { "gatewayresponse.header.Retry-After": "'1'" },
    });
  });

  it("counts API Gateway's throttled requests from the access log as WebhookRejected", () => {
    template().hasResourceProperties("AWS::Logs::MetricFilter", {
      LogGroupName: { Ref: logicalId("AWS::Logs::LogGroup", "WebhookAccessLogs") },
      FilterPattern: '{ $.errorType = "THROTTLED" }',
      MetricTransformations: [
        {
          MetricNamespace: "HrLifecycleSync",
          MetricName: "WebhookRejected",
          MetricValue: "1",
          Dimensions: Match.arrayWith([
            { Key: "service", Value: "$.service" },
            { Key: "status", Value: "$.status" },
            { Key: "reason", Value: "$.errorType" },
          ]),
        },
      ],
    });
  });

  it("alarms when signed requests are refused for 30 minutes, leaving out what scanners send", () => {
    const alarm = template().toJSON().Resources[
      logicalId("AWS::CloudWatch::Alarm", "AlarmsWebhookSenderRefused")
    ].Properties as {
      Metrics: { Expression: string; Period: number }[];
      EvaluationPeriods: number;
    };
    expect(alarm.EvaluationPeriods).toBe(2);
    const [query] = alarm.Metrics;
    expect(query?.Period).toBe(900);
    expect(query?.Expression).toBe(
      `SELECT SUM(WebhookRejected) FROM SCHEMA("HrLifecycleSync", service, status, reason) WHERE reason = 'timestamp_outside_window' OR reason = 'no_key_configured' OR reason = 'key_too_short' OR reason = 'no_key_matched' OR status = '403'`,
    );
  });

  it("puts a WAF rate rule per client IP on the stage, whose block answers 503 with Retry-After", () => {
    template().hasResourceProperties("AWS::WAFv2::WebACL", {
      Scope: "REGIONAL",
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({
          Statement: {
            RateBasedStatement: { AggregateKeyType: "IP", Limit: 300, EvaluationWindowSec: 60 },
          },
          Action: {
            Block: {
              CustomResponse: {
                ResponseCode: 503,
                CustomResponseBodyKey: "rateLimited",
                ResponseHeaders: [{ Name: "Retry-After", Value: "60" }],
              },
            },
          },
        }),
      ],
    });
    template().hasResourceProperties("AWS::WAFv2::WebACLAssociation", {
      WebACLArn: {
        "Fn::GetAtt": [logicalId("AWS::WAFv2::WebACL", "WebhookFirewallWebAcl"), "Arn"],
      },
    });
  });
});

describe("ledger", () => {
  it("is on-demand with point-in-time recovery, key pk only, TTL on expiresAt", () => {
    template().resourceCountIs("AWS::DynamoDB::Table", 1);
    template().hasResourceProperties("AWS::DynamoDB::Table", {
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
    });
  });

  it("has one sparse index, keys only, of scheduled changes by state and due time", () => {
    template().hasResourceProperties("AWS::DynamoDB::Table", {
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "scheduleState", AttributeType: "S" },
        { AttributeName: "scheduleDueAt", AttributeType: "N" },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: "due-changes",
          KeySchema: [
            { AttributeName: "scheduleState", KeyType: "HASH" },
            { AttributeName: "scheduleDueAt", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "KEYS_ONLY" },
        },
      ],
    });
  });

  it("is protected from deletion by default and outlives the stack", () => {
    template().hasResource("AWS::DynamoDB::Table", {
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
      DeletionPolicy: "Retain",
    });
  });
});

describe("secrets", () => {
  it("creates the six secrets from JSON templates holding the placeholder", () => {
    const values = resources("AWS::SecretsManager::Secret").map(([id, secret]) => [
      id.replace(/^Secrets|Secret[0-9A-F]{8}$/g, ""),
      JSON.parse((secret as { Properties: { SecretString: string } }).Properties.SecretString),
    ]);
    expect(Object.fromEntries(values)).toEqual({
      AccountPlatform: { clientId: PLACEHOLDER, clientSecret: PLACEHOLDER },
      Osis: { username: PLACEHOLDER, password: PLACEHOLDER },
      Webhook: { keys: [PLACEHOLDER] },
      BambooHr: { keys: [PLACEHOLDER] },
      BambooHrApi: { apiKey: PLACEHOLDER, companyDomain: PLACEHOLDER },
      ScimToken: { tokens: [PLACEHOLDER] },
    });
    expect(PLACEHOLDER).toBe("REPLACE_ME");
  });

  it("keeps created secrets when the stack is deleted (deletion protection is on)", () => {
    for (const [, secret] of resources("AWS::SecretsManager::Secret")) {
      expect(secret).toMatchObject({ DeletionPolicy: "Retain" });
    }
  });
});

describe("alarms", () => {
  const alarm = (name: string) =>
    template().toJSON().Resources[logicalId("AWS::CloudWatch::Alarm", `Alarms${name}`)].Properties;

  it("notify one TLS-only topic, breach on missing data only for the heartbeats (scheduler, reconciliation passes), and number eighteen", () => {
    const topic = logicalId("AWS::SNS::Topic", "AlarmsTopic");
    const alarms = resources("AWS::CloudWatch::Alarm");
    expect(alarms).toHaveLength(18);
    for (const [id, each] of alarms) {
      expect(each).toMatchObject({
        Properties: {
          AlarmActions: [{ Ref: topic }],
          TreatMissingData:
            id.includes("DueChangeLate") || id.includes("ReconcilePassStale")
              ? "breaching"
              : "notBreaching",
          ComparisonOperator: "GreaterThanOrEqualToThreshold",
        },
      });
    }
    template().hasResourceProperties("AWS::SNS::TopicPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: "Deny",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          }),
        ]),
      },
    });
    template().resourceCountIs("AWS::SNS::Subscription", 0);
  });

  it("reach a topic encrypted with a rotated customer managed key CloudWatch alarms may use", () => {
    const key = logicalId("AWS::KMS::Key", "AlarmsTopicKey");
    const topic = logicalId("AWS::SNS::Topic", "AlarmsTopic");
    // Not alias/aws/sns: CloudWatch cannot use AWS managed keys, and alarms would be dropped.
    expect(template().toJSON().Resources[topic].Properties.KmsMasterKeyId).toEqual(getAtt(key));
    const properties = template().toJSON().Resources[key].Properties;
    expect(properties.EnableKeyRotation).toBe(true);
    expect(properties.KeyPolicy.Statement).toContainEqual({
      Sid: "CloudWatchAlarmsPublish",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } },
        ArnLike: {
          "aws:SourceArn": {
            "Fn::Join": [
              "",
              [
                "arn:",
                { Ref: "AWS::Partition" },
                ":cloudwatch:",
                { Ref: "AWS::Region" },
                ":",
                { Ref: "AWS::AccountId" },
                ":alarm:*",
              ],
            ],
          },
        },
      },
    });
  });

  it("fire on each new dead letter, on any dead letter, and well before a dead letter expires", () => {
    const dlq = logicalId("AWS::SQS::Queue", "QueuesDeadLetterQueue");
    const onDlq = [{ Name: "QueueName", Value: { "Fn::GetAtt": [dlq, "QueueName"] } }];
    // The consumer's own count of the dead letters it sends: a dry run's plans are not in it.
    expect(alarm("DeadLetterArrived")).toMatchObject({
      Metrics: [
        {
          Expression: `SELECT SUM(DeadLettered) FROM SCHEMA("HrLifecycleSync", service, reason, target)`,
          Period: 60,
          ReturnData: true,
        },
      ],
      Threshold: 1,
    });
    expect(alarm("DeadLetterQueueNotEmpty")).toMatchObject({
      MetricName: "ApproximateNumberOfMessagesVisible",
      Threshold: 1,
      Dimensions: onDlq,
    });
    const age = alarm("DeadLetterAgeHigh");
    expect(age).toMatchObject({ MetricName: "ApproximateAgeOfOldestMessage", Dimensions: onDlq });
    expect(age.Threshold).toBeLessThanOrEqual(10 * 24 * 3600);
  });

  it("fire on an old message in the source queue, consumer errors and throttles, webhook 5xx", () => {
    const queue = logicalId("AWS::SQS::Queue", "QueuesQueue");
    expect(alarm("QueueAgeHigh")).toMatchObject({
      MetricName: "ApproximateAgeOfOldestMessage",
      Threshold: 30 * 60,
      Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [queue, "QueueName"] } }],
    });
    const consumer = [
      {
        Name: "FunctionName",
        Value: { Ref: logicalId("AWS::Lambda::Function", "ConsumerFunction") },
      },
    ];
    expect(alarm("ConsumerErrors")).toMatchObject({ MetricName: "Errors", Dimensions: consumer });
    expect(alarm("ConsumerThrottles")).toMatchObject({
      MetricName: "Throttles",
      Dimensions: consumer,
    });
    expect(alarm("WebhookServerErrors")).toMatchObject({
      Namespace: "AWS/ApiGateway",
      MetricName: "5XXError",
      Dimensions: [{ Name: "ApiName", Value: "HrLifecycleSync-webhooks" }],
    });
  });
});

describe("platform outages", () => {
  const alarm = (name: string) =>
    template().toJSON().Resources[logicalId("AWS::CloudWatch::Alarm", `Alarms${name}`)].Properties;

  it("alarm when a platform's circuit breaker stays open five minutes", () => {
    for (const [name, platform] of [
      ["AccountPlatformUnavailable", "account-platform"],
      ["OsisUnavailable", "osis"],
    ]) {
      expect(alarm(name as string)).toMatchObject({
        Namespace: "HrLifecycleSync",
        MetricName: "PlatformUnavailable",
        Dimensions: [
          { Name: "platform", Value: platform },
          { Name: "service", Value: "consumer" },
        ],
        Statistic: "Maximum",
        Period: 60,
        EvaluationPeriods: 5,
        Threshold: 1,
      });
    }
  });

  it("alarm when records wait for the ledger five minutes running", () => {
    expect(alarm("LedgerUnavailable")).toMatchObject({
      Namespace: "HrLifecycleSync",
      MetricName: "LedgerUnavailable",
      Dimensions: [{ Name: "service", Value: "consumer" }],
      Statistic: "Sum",
      Period: 60,
      EvaluationPeriods: 5,
      Threshold: 1,
    });
  });

  it("let a waiting record be received often enough to outlast the consumer's patience", () => {
    template().hasResourceProperties("AWS::SQS::Queue", {
      QueueName: Match.absent(),
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 1_000 }),
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });
});

describe("safety rails", () => {
  const alarm = (name: string) =>
    template().toJSON().Resources[logicalId("AWS::CloudWatch::Alarm", `Alarms${name}`)].Properties;

  it("alarm once the mass-offboarding guard trips, on drift, and on a failed reconciliation", () => {
    expect(alarm("GuardTripped")).toMatchObject({
      Namespace: "HrLifecycleSync",
      MetricName: "GuardTripped",
      Dimensions: [{ Name: "service", Value: "consumer" }],
      Statistic: "Sum",
      Threshold: 1,
    });
    expect(alarm("DriftDetected")).toMatchObject({
      Namespace: "HrLifecycleSync",
      MetricName: "DriftedPeople",
      Dimensions: [{ Name: "service", Value: "reconcile" }],
      Threshold: 1,
    });
    expect(alarm("ReconcileFailed")).toMatchObject({
      MetricName: "Errors",
      Dimensions: [
        {
          Name: "FunctionName",
          Value: { Ref: logicalId("AWS::Lambda::Function", "ReconcileFunction") },
        },
      ],
    });
  });

  it("run the reconciliation daily, in report mode, configured by its variables", () => {
    const fn = logicalId("AWS::Lambda::Function", "ReconcileFunction");
    template().hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "rate(1 day)",
      Targets: [Match.objectLike({ Arn: getAtt(fn), RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
    const variables = template().toJSON().Resources[fn].Properties.Environment.Variables;
    expect(Object.keys(variables).sort()).toEqual(
      [
        "LEDGER_TABLE",
        "QUEUE_URL",
        "ACCOUNT_PLATFORM_URL",
        "ACCOUNT_PLATFORM_SECRET_ID",
        "OSIS_URL",
        "OSIS_BASE_PATH",
        "OSIS_SECRET_ID",
        "NODE_OPTIONS",
        "POWERTOOLS_SERVICE_NAME",
        "POWERTOOLS_METRICS_NAMESPACE",
      ].sort(),
    );
    expect(variables.RECONCILE_APPLY).toBeUndefined();
  });

  it("let the reconciliation read the ledger and two secrets and send to the queue, nothing else", () => {
    const policy = logicalId("AWS::IAM::Policy", "ReconcileRole");
    const statements = template().toJSON().Resources[policy].Properties.PolicyDocument.Statement;
    expect(statements).toEqual([
      {
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: getAtt(logicalId("AWS::Logs::LogGroup", "ReconcileLogs")),
      },
      {
        Effect: "Allow",
        // It lists people (shared/runtime/reconcile/reconcile-drift.ts) and nothing more.
        Action: "dynamodb:Scan",
        Resource: getAtt(logicalId("AWS::DynamoDB::Table", "Ledger")),
      },
      {
        Effect: "Allow",
        // Its pass's item only (shared/runtime/reconcile/reconcile-pass-store.ts): cursor, counts, lease.
        Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
        Resource: getAtt(logicalId("AWS::DynamoDB::Table", "Ledger")),
        Condition: {
          "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": ["RECONCILE#pass"] },
        },
      },
      {
        Effect: "Allow",
        Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
        Resource: expect.toSatisfy(
          sameMembers([
            { Ref: logicalId("AWS::SecretsManager::Secret", "AccountPlatformSecret") },
            { Ref: logicalId("AWS::SecretsManager::Secret", "OsisSecret") },
          ]),
        ),
      },
      {
        Effect: "Allow",
        Action: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"],
        Resource: getAtt(logicalId("AWS::SQS::Queue", "QueuesQueue")),
      },
    ]);
  });

  it("carries an unfinished pass on every 15 minutes, and alarms when no pass finished in 48 hours", () => {
    const fn = logicalId("AWS::Lambda::Function", "ReconcileFunction");
    template().hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "rate(15 minutes)",
      Targets: [
        Match.objectLike({ Arn: getAtt(fn), Input: JSON.stringify({ lifecycle: "continue" }) }),
      ],
    });
    template().hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "HrLifecycleSync",
      MetricName: "ReconcilePassAge",
      Dimensions: [{ Name: "service", Value: "reconcile" }],
      Statistic: "Maximum",
      Threshold: 48 * 3600,
    });
  });
});

describe("scheduler", () => {
  it("runs every minute, configured by the queue, the ledger and the outcome bus only", () => {
    const fn = logicalId("AWS::Lambda::Function", "SchedulerFunction");
    template().hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "rate(1 minute)",
      Targets: [Match.objectLike({ Arn: getAtt(fn) })],
    });
    const variables = template().toJSON().Resources[fn].Properties.Environment.Variables;
    expect(Object.keys(variables).sort()).toEqual(
      [
        "LEDGER_TABLE",
        "QUEUE_URL",
        "OUTCOME_BUS_NAME",
        "OUTCOME_SOURCE",
        "NODE_OPTIONS",
        "POWERTOOLS_SERVICE_NAME",
        "POWERTOOLS_METRICS_NAMESPACE",
      ].sort(),
    );
  });

  it("may query the due-changes index, claim and write person items, delete change and outbox items, send to the queue, publish outcomes, nothing else", () => {
    const policy = logicalId("AWS::IAM::Policy", "SchedulerRole");
    const statements = template().toJSON().Resources[policy].Properties.PolicyDocument.Statement;
    const ledger = getAtt(logicalId("AWS::DynamoDB::Table", "Ledger"));
    expect(statements).toEqual([
      {
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: getAtt(logicalId("AWS::Logs::LogGroup", "SchedulerLogs")),
      },
      {
        Effect: "Allow",
        Action: "dynamodb:Query",
        Resource: { "Fn::Join": ["", [ledger, "/index/due-changes"]] },
      },
      {
        Effect: "Allow",
        Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
        Resource: ledger,
      },
      changeItemDelete(ledger),
      {
        Effect: "Allow",
        Action: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"],
        Resource: getAtt(logicalId("AWS::SQS::Queue", "QueuesQueue")),
      },
      outcomePublish(),
    ]);
  });

  it("alarms when a due change is more than five minutes late, or the scheduler is silent", () => {
    template().hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "DueChangeLateness",
      Namespace: "HrLifecycleSync",
      Dimensions: [{ Name: "service", Value: "scheduler" }],
      Statistic: "Maximum",
      Period: 300,
      Threshold: 300_000,
      TreatMissingData: "breaching",
    });
  });
});

describe("dashboard", () => {
  /** The dashboard body as JSON, each CloudFormation reference replaced by "REF". */
  const body = (): { widgets: { properties: { title?: string; metrics?: unknown[][] } }[] } => {
    const [, dashboard] = resources("AWS::CloudWatch::Dashboard")[0] ?? [];
    const join = (
      dashboard as { Properties: { DashboardBody: { "Fn::Join": [string, unknown[]] } } }
    ).Properties.DashboardBody["Fn::Join"][1];
    return JSON.parse(join.map((part) => (typeof part === "string" ? part : "REF")).join(""));
  };
  const expressions = () =>
    body().widgets.flatMap((widget) =>
      (widget.properties.metrics ?? []).flatMap((metric) =>
        metric.flatMap((element) =>
          typeof element === "object" && element !== null && "expression" in element
            ? [(element as { expression: string }).expression]
            : [],
        ),
      ),
    );

  it("shows queue depth and age, DLQ depth and arrivals", () => {
    const text = JSON.stringify(body());
    for (const metric of [
      "ApproximateNumberOfMessagesVisible",
      "ApproximateNumberOfMessagesNotVisible",
      "ApproximateAgeOfOldestMessage",
      "NumberOfMessagesSent",
    ]) {
      expect(text).toContain(metric);
    }
  });

  it("searches the product's own metrics by their exact dimension sets", () => {
    expect(expressions().sort()).toEqual(
      [
        `SEARCH('{HrLifecycleSync,service,outcome} MetricName="EventOutcome"', 'Sum', 300)`,
        `SEARCH('{HrLifecycleSync,service,reason,target} MetricName="DeadLettered"', 'Sum', 300)`,
        `SEARCH('{HrLifecycleSync,service,plan} MetricName="DryRunPlanned"', 'Sum', 300)`,
        `SEARCH('{HrLifecycleSync,service,platform,operation} MetricName="PlatformLatency"', 'p95', 300)`,
        `SEARCH('{HrLifecycleSync,service,platform} MetricName="PlatformUnavailable"', 'Maximum', 300)`,
        `SEARCH('{HrLifecycleSync,service} MetricName="LedgerUnavailable"', 'Sum', 300)`,
        `SEARCH('{HrLifecycleSync,service} MetricName="WebhookAccepted"', 'Sum', 300)`,
        `SEARCH('{HrLifecycleSync,service,status,reason} MetricName="WebhookRejected"', 'Sum', 300)`,
        `SEARCH('{HrLifecycleSync,service} MetricName="BambooHrIgnored"', 'Sum', 300)`,
        `SEARCH('{HrLifecycleSync,service} MetricName="DueChangesEnqueued"', 'Sum', 300)`,
        `SEARCH('{HrLifecycleSync,service} MetricName="DueChangeLateness"', 'Maximum', 300)`,
      ].sort(),
    );
  });

  it("shows every alarm's state", () => {
    const alarmWidget = body().widgets.find((w) => w.properties.title === "Alarms");
    const alarms = (alarmWidget?.properties as { alarms?: unknown[] } | undefined)?.alarms;
    expect(alarms).toHaveLength(18);
  });
});

describe("access policies", () => {
  it("are two managed policies CloudFormation names (two stacks in one account never collide)", () => {
    const policies = resources("AWS::IAM::ManagedPolicy");
    expect(policies.map(([id]) => id.replace(/[0-9A-F]{8}$/, "")).sort()).toEqual([
      "AccessOperator",
      "AccessProducer",
    ]);
    for (const [id, policy] of policies) {
      expect(policy, id).not.toHaveProperty("Properties.ManagedPolicyName");
      expect(policy, id).not.toHaveProperty("Properties.Roles");
    }
    template().hasOutput("OperatorPolicyArn", {
      Value: { Ref: logicalId("AWS::IAM::ManagedPolicy", "AccessOperator") },
    });
    template().hasOutput("ProducerPolicyArn", {
      Value: { Ref: logicalId("AWS::IAM::ManagedPolicy", "AccessProducer") },
    });
  });
});

describe("SCIM function", () => {
  const scimFunction = () => logicalId("AWS::Lambda::Function", "ScimFunction");

  it("serves every method under /scim/v2 from its own function, with its own throttle", () => {
    const proxy = resources("AWS::ApiGateway::Resource").find(
      ([, resource]) =>
        (resource as { Properties: { PathPart: string } }).Properties.PathPart === "{proxy+}",
    );
    template().hasResourceProperties("AWS::ApiGateway::Method", {
      HttpMethod: "ANY",
      ResourceId: { Ref: proxy?.[0] },
      Integration: {
        Type: "AWS_PROXY",
        Uri: Match.objectLike({
          "Fn::Join": ["", Match.arrayWith([getAtt(scimFunction())])],
        }),
      },
    });
    template().hasResourceProperties("AWS::ApiGateway::Stage", {
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          ResourcePath: "/~1scim~1v2~1{proxy+}",
          HttpMethod: "*",
          ThrottlingRateLimit: 20,
          ThrottlingBurstLimit: 40,
        }),
      ]),
    });
  });

  it("is configured by its agreed variables: both platforms, the ledger, the queue, its token secret", () => {
    const variables =
      template().toJSON().Resources[scimFunction()].Properties.Environment.Variables;
    expect(Object.keys(variables).sort()).toEqual(
      [
        "QUEUE_URL",
        "LEDGER_TABLE",
        "ACCOUNT_PLATFORM_URL",
        "ACCOUNT_PLATFORM_TENANT_ID",
        "ACCOUNT_PLATFORM_SECRET_ID",
        "OSIS_URL",
        "OSIS_BASE_PATH",
        "OSIS_CD_TENANT_ID",
        "OSIS_SECRET_ID",
        "PROTECTED_ACCOUNTS",
        "SCIM_TOKEN_SECRET_ID",
        "NODE_OPTIONS",
        "POWERTOOLS_SERVICE_NAME",
        "POWERTOOLS_METRICS_NAMESPACE",
      ].sort(),
    );
    expect(variables.SCIM_TOKEN_SECRET_ID).toEqual({
      Ref: logicalId("AWS::SecretsManager::Secret", "ScimTokenSecret"),
    });
  });

  it("may send to the queue, read three secrets, read SCIM, account-user and person items and write SCIM items only", () => {
    const policy = logicalId("AWS::IAM::Policy", "ScimRole");
    const statements = template().toJSON().Resources[policy].Properties.PolicyDocument.Statement;
    const ledger = getAtt(logicalId("AWS::DynamoDB::Table", "LedgerTable"));
    expect(statements).toEqual([
      ...logsQueueAndSecrets("ScimLogs", [
        "AccountPlatformSecret",
        "OsisSecret",
        "ScimTokenSecret",
      ]),
      {
        Effect: "Allow",
        Action: "dynamodb:GetItem",
        Resource: ledger,
        Condition: {
          "ForAllValues:StringLike": {
            "dynamodb:LeadingKeys": ["SCIM#*", "ACCOUNTUSER#*", "PERSON#*"],
          },
        },
      },
      {
        Effect: "Allow",
        Action: ["dynamodb:PutItem", "dynamodb:UpdateItem"],
        Resource: ledger,
        Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["SCIM#*"] } },
      },
    ]);
  });
});

describe("outputs", () => {
  it("are exactly the ones the CLI reads", () => {
    expect(Object.keys(template().toJSON().Outputs).sort()).toEqual(
      [
        "QueueUrl",
        "DeadLetterQueueUrl",
        "LedgerTableName",
        "WebhookUrl",
        "AccountPlatformUrl",
        "OsisUrl",
        "AccountPlatformSecretArn",
        "OsisSecretArn",
        "WebhookSecretArn",
        "BambooHrSecretArn",
        "BambooHrApiSecretArn",
        "ScimUrl",
        "ScimTokenSecretArn",
        "OperatorPolicyArn",
        "ProducerPolicyArn",
        "OutcomeBusName",
        "OutcomeLogGroupName",
      ].sort(),
    );
    template().hasOutput("QueueUrl", {
      Value: { Ref: logicalId("AWS::SQS::Queue", "QueuesQueue") },
    });
    template().hasOutput("AccountPlatformUrl", { Value: "https://account.example.com" });
    template().hasOutput("OsisUrl", { Value: "https://osis.example.com/api/v1" });
    template().hasOutput("WebhookUrl", {
      Value: {
        "Fn::Join": [
          "",
          [
            "https://",
            { Ref: logicalId("AWS::ApiGateway::RestApi", "WebhookApi") },
            ".execute-api.",
            { Ref: "AWS::Region" },
            ".",
            { Ref: "AWS::URLSuffix" },
            "/webhooks",
          ],
        ],
      },
    });
  });
});

describe("cdk-nag", () => {
  it("reports no unacknowledged AwsSolutions or Serverless finding", () => {
    const nag = synthesized.violations.filter((v) => v.plugin !== "Construct Annotations");
    expect(nag).toEqual([]);
  });

  it("warns only that the platform settings are still example values", () => {
    expect(synthesized.violations.map((v) => v.rule)).toEqual([
      "Annotation::lifecycle:example-values",
    ]);
  });

  it("acknowledges only the reviewed rules, each with a reason", () => {
    const rules = [...new Set(synthesized.acknowledgements.map((a) => a.rule))].sort();
    expect(rules).toEqual(
      [
        "AwsSolutions::AwsSolutions-APIG2",
        "AwsSolutions::AwsSolutions-APIG4",
        "AwsSolutions::AwsSolutions-APIG6",
        "AwsSolutions::AwsSolutions-COG4",
        "AwsSolutions::AwsSolutions-SMG4",
        "Serverless::Serverless-APIGWXrayEnabled",
        "Serverless::Serverless-EventBusDLQ",
        "Serverless::Serverless-LambdaDLQ",
        "Serverless::Serverless-LambdaEventSourceMappingDestination",
        "Serverless::Serverless-LambdaTracing",
        "Serverless::Serverless-SQSRedrivePolicy",
      ].sort(),
    );
    for (const { reason } of synthesized.acknowledgements) {
      expect(reason.length).toBeGreaterThan(80);
    }
  });
});

/** What a function behind the API may do first: write its logs, send to the queue, read its secrets. */
function logsQueueAndSecrets(logGroup: string, secrets: string[]) {
  return [
    {
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: getAtt(logicalId("AWS::Logs::LogGroup", logGroup)),
    },
    {
      Effect: "Allow",
      Action: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"],
      Resource: getAtt(logicalId("AWS::SQS::Queue", "QueuesQueue")),
    },
    {
      Effect: "Allow",
      Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
      Resource: expect.toSatisfy(
        sameMembers(
          secrets.map((secret) => ({ Ref: logicalId("AWS::SecretsManager::Secret", secret) })),
        ),
      ),
    },
  ];
}

/** DeleteItem on the ledger, for items whose key starts with `CHANGE#` or `OUTBOX#`, no other. */
function changeItemDelete(ledger: unknown) {
  return {
    Effect: "Allow",
    Action: "dynamodb:DeleteItem",
    Resource: ledger,
    Condition: {
      "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["CHANGE#*", "OUTBOX#*"] },
    },
  };
}

/** PutEvents on the outcome bus, and no other bus. */
function outcomePublish() {
  return {
    Effect: "Allow",
    Action: "events:PutEvents",
    Resource: getAtt(logicalId("AWS::Events::EventBus", "OutcomesBus")),
  };
}
