import { Match } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLACEHOLDER } from "../../shared/contract/secrets.ts";
import { SYNTH_TIMEOUT_MS, type Synthesized, synthesize } from "./synthesize.ts";

/**
 * The outcome side of the stack (issue 27): as a fresh clone synthesizes it, and as a
 * deployment with an existing bus, its own source and a webhook configures it. The functions'
 * bundles play no part here: esbuild is skipped.
 */
const NO_BUNDLING = { "aws:cdk:bundling-stacks": [] };
const WEBHOOK_URL = "https://hooks.example.net/hr/outcomes";
const CONFIGURED = {
  ...NO_BUNDLING,
  "lifecycle:eventBusName": "default",
  "lifecycle:outcomeSource": "com.example.hr",
  "lifecycle:outcomeArchiveDays": "0",
  "lifecycle:outcomeWebhookUrl": WEBHOOK_URL,
  "lifecycle:outcomeWebhookApiKeyHeader": "Authorization",
  "lifecycle:logRetentionDays": 90,
};

let plain: Synthesized;
let configured: Synthesized;
beforeAll(() => {
  plain = synthesize(NO_BUNDLING);
  configured = synthesize(CONFIGURED);
}, SYNTH_TIMEOUT_MS);
afterAll(() => {
  plain?.cleanUp();
  configured?.cleanUp();
});

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };
const resources = (s: Synthesized, type: string): [string, Resource][] =>
  Object.entries(s.template.findResources(type)) as [string, Resource][];
const only = (s: Synthesized, type: string, idPart = ""): [string, Resource] => {
  const found = resources(s, type).filter(([id]) => id.includes(idPart));
  expect(found, `one ${type} named like "${idPart}"`).toHaveLength(1);
  return found[0] as [string, Resource];
};
const getAtt = (id: string) => ({ "Fn::GetAtt": [id, "Arn"] });
const variables = (s: Synthesized, part: string) =>
  (only(s, "AWS::Lambda::Function", part)[1].Properties.Environment as { Variables: object })
    .Variables;
const OUTCOMES = { source: ["hr-lifecycle-sync"], "detail-type": ["Lifecycle Change Outcome"] };

/**
 * Who is allowed `action`, on what: each Allow statement of a role's policy or a managed
 * policy, its owner named by logical id without the hash (`ConsumerRole`, `AccessOperator`).
 */
function holders(s: Synthesized, action: string): { owner: string; resource: unknown }[] {
  return [...resources(s, "AWS::IAM::Policy"), ...resources(s, "AWS::IAM::ManagedPolicy")].flatMap(
    ([id, policy]) => {
      const owner =
        policy.Type === "AWS::IAM::Policy"
          ? ((policy.Properties.Roles as { Ref: string }[])[0]?.Ref ?? id)
          : id;
      const document = policy.Properties.PolicyDocument as {
        Statement: { Effect: string; Action: string | string[]; Resource: unknown }[];
      };
      return document.Statement.filter(
        (statement) => statement.Effect === "Allow" && [statement.Action].flat().includes(action),
      ).map(({ Resource }) => ({ owner: owner.replace(/[0-9A-F]{8}$/, ""), resource: Resource }));
    },
  );
}

describe("outcomes, as a fresh clone synthesizes them", () => {
  it("go to a bus of the stack's own, named after the stack, both outputs naming where", () => {
    const [bus, properties] = only(plain, "AWS::Events::EventBus");
    expect(properties.Properties.Name).toBe("HrLifecycleSync-outcomes");
    const [log] = only(plain, "AWS::Logs::LogGroup", "OutcomesLog");
    plain.template.hasOutput("OutcomeBusName", { Value: { Ref: bus } });
    plain.template.hasOutput("OutcomeLogGroupName", { Value: { Ref: log } });
  });

  it("are archived, ours only, for 30 days", () => {
    const [bus] = only(plain, "AWS::Events::EventBus");
    expect(only(plain, "AWS::Events::Archive")[1].Properties).toMatchObject({
      SourceArn: getAtt(bus),
      EventPattern: OUTCOMES,
      RetentionDays: 30,
    });
  });

  it("are each written to a log group under /aws/events/, kept as long as the functions' logs", () => {
    const [bus] = only(plain, "AWS::Events::EventBus");
    const [log, group] = only(plain, "AWS::Logs::LogGroup", "OutcomesLog");
    expect(group.Properties).toEqual({
      LogGroupName: "/aws/events/HrLifecycleSync/outcomes",
      RetentionInDays: 30,
    });
    const [policy] = only(plain, "AWS::Logs::ResourcePolicy");
    const [, rule] = only(plain, "AWS::Events::Rule", "OutcomesLogRule");
    expect(rule.Properties).toMatchObject({ EventBusName: { Ref: bus }, EventPattern: OUTCOMES });
    // The log group's ARN without the `:*` of its Arn attribute, and no role: EventBridge
    // writes to CloudWatch Logs under the log group's resource policy only.
    expect(rule.Properties.Targets).toEqual([
      {
        Id: "Target0",
        Arn: {
          "Fn::Join": [
            "",
            [
              "arn:",
              { Ref: "AWS::Partition" },
              ":logs:",
              { Ref: "AWS::Region" },
              ":",
              { Ref: "AWS::AccountId" },
              ":log-group:",
              { Ref: log },
            ],
          ],
        },
      },
    ]);
    expect(rule.DependsOn).toContain(policy);
  });

  it("are allowed into the log group by a resource policy the stack writes, on that group only", () => {
    const [log] = only(plain, "AWS::Logs::LogGroup", "OutcomesLog");
    const [, policy] = only(plain, "AWS::Logs::ResourcePolicy");
    const name = policy.Properties.PolicyName as string;
    const [, parts] = (policy.Properties.PolicyDocument as { "Fn::Join": [string, unknown[]] })[
      "Fn::Join"
    ];
    const arn =
      "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/events/HrLifecycleSync/outcomes:*";
    const document = parts.map((part) => (typeof part === "string" ? part : arn)).join("");
    expect(JSON.parse(document).Statement).toEqual([
      {
        Sid: "EventBridgeWritesOutcomes",
        Effect: "Allow",
        Principal: { Service: ["events.amazonaws.com", "delivery.logs.amazonaws.com"] },
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: arn,
      },
    ]);
    expect(parts).toContainEqual(getAtt(log));
    // CloudWatch Logs' limits on an account's resource policies.
    expect(name).toMatch(/^HrLifecycleSync/);
    expect(name.length).toBeLessThanOrEqual(255);
    expect(document.length).toBeLessThanOrEqual(5_120);
  });

  it("add no Lambda function and no custom resource (CDK's log-group target would add both)", () => {
    // The five functions of the stack, and not one more for the outcome log.
    expect(resources(plain, "AWS::Lambda::Function")).toHaveLength(5);
    const types = Object.values(plain.template.toJSON().Resources).map(
      (resource) => (resource as Resource).Type,
    );
    expect(types.filter((type) => /^Custom::|CustomResource/.test(type))).toEqual([]);
  });

  it("may be published by the consumer, the scheduler and the operators, on this bus only", () => {
    const [bus] = only(plain, "AWS::Events::EventBus");
    expect(holders(plain, "events:PutEvents")).toEqual(
      ["ConsumerRole", "SchedulerRole", "AccessOperator"].map((owner) => ({
        owner,
        resource: getAtt(bus),
      })),
    );
  });

  it("are read from the log by the operators only (lifecycle outcomes --stack)", () => {
    const [log] = only(plain, "AWS::Logs::LogGroup", "OutcomesLog");
    expect(holders(plain, "logs:FilterLogEvents")).toEqual([
      { owner: "AccessOperator", resource: getAtt(log) },
    ]);
  });

  it("tell the consumer and the scheduler where and as whom to publish, and no other function", () => {
    const [bus] = only(plain, "AWS::Events::EventBus");
    for (const part of ["ConsumerFunction", "SchedulerFunction"]) {
      expect(variables(plain, part)).toMatchObject({
        OUTCOME_BUS_NAME: { Ref: bus },
        OUTCOME_SOURCE: "hr-lifecycle-sync",
      });
    }
    for (const part of ["WebhookFunction", "ReconcileFunction"]) {
      expect(Object.keys(variables(plain, part))).not.toContain("OUTCOME_BUS_NAME");
    }
  });

  it("alarm on a publish that failed after its retries and on a failed write to the log", () => {
    const [bus] = only(plain, "AWS::Events::EventBus");
    const [rule] = only(plain, "AWS::Events::Rule", "OutcomesLogRule");
    const alarm = (name: string) => only(plain, "AWS::CloudWatch::Alarm", `Alarms${name}`)[1];
    expect(alarm("OutcomePublishFailed").Properties.Metrics).toEqual([
      expect.objectContaining({
        Expression: `SELECT SUM(OutcomePublishFailed) FROM SCHEMA("HrLifecycleSync", service)`,
        Period: 300,
      }),
    ]);
    expect(alarm("OutcomeLogFailed").Properties).toMatchObject({
      Namespace: "AWS/Events",
      MetricName: "FailedInvocations",
      Dimensions: [
        { Name: "EventBusName", Value: { Ref: bus } },
        { Name: "RuleName", Value: { Ref: rule } },
      ],
      Statistic: "Sum",
      Threshold: 1,
    });
    expect(resources(plain, "AWS::Events::Connection")).toEqual([]);
  });
});

describe("outcomes, configured: an existing bus, a source of their own, a webhook", () => {
  it("go to the bus named, creating none, and publish with the source given", () => {
    expect(resources(configured, "AWS::Events::EventBus")).toEqual([]);
    expect(variables(configured, "ConsumerFunction")).toMatchObject({
      OUTCOME_BUS_NAME: "default",
      OUTCOME_SOURCE: "com.example.hr",
    });
    const busArn = {
      "Fn::Join": [
        "",
        [
          "arn:",
          { Ref: "AWS::Partition" },
          ":events:",
          { Ref: "AWS::Region" },
          ":",
          { Ref: "AWS::AccountId" },
          ":event-bus/default",
        ],
      ],
    };
    expect(holders(configured, "events:PutEvents").map(({ resource }) => resource)).toEqual([
      busArn,
      busArn,
      busArn,
    ]);
    expect(only(configured, "AWS::Events::Archive")[1].Properties).toMatchObject({
      SourceArn: busArn,
      EventPattern: { source: ["com.example.hr"] },
      // outcomeArchiveDays 0: EventBridge keeps them indefinitely.
      RetentionDays: 0,
    });
    expect(
      only(configured, "AWS::Logs::LogGroup", "OutcomesLog")[1].Properties.RetentionInDays,
    ).toBe(90);
  });

  it("POST every outcome to the webhook with the API key from a secret holding the placeholder", () => {
    const [secret, created] = only(configured, "AWS::SecretsManager::Secret", "OutcomesWebhook");
    expect(JSON.parse(created.Properties.SecretString as string)).toEqual({ apiKey: PLACEHOLDER });
    const [connection, properties] = only(configured, "AWS::Events::Connection");
    const auth = properties.Properties.AuthParameters as {
      ApiKeyAuthParameters: { ApiKeyName: string; ApiKeyValue: unknown };
    };
    expect(properties.Properties.AuthorizationType).toBe("API_KEY");
    expect(auth.ApiKeyAuthParameters.ApiKeyName).toBe("Authorization");
    // A dynamic reference CloudFormation resolves: the key is never in the template.
    expect(auth.ApiKeyAuthParameters.ApiKeyValue).toEqual({
      "Fn::Join": ["", ["{{resolve:secretsmanager:", { Ref: secret }, ":SecretString:apiKey::}}"]],
    });
    const [destination] = only(configured, "AWS::Events::ApiDestination");
    configured.template.hasResourceProperties("AWS::Events::ApiDestination", {
      ConnectionArn: getAtt(connection),
      InvocationEndpoint: WEBHOOK_URL,
      HttpMethod: "POST",
    });
    const [queue, dlq] = only(configured, "AWS::SQS::Queue", "OutcomesWebhook");
    expect(dlq.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    const [rule, webhookRule] = only(configured, "AWS::Events::Rule", "OutcomesWebhookRule");
    expect(webhookRule.Properties).toMatchObject({
      EventBusName: "default",
      EventPattern: { source: ["com.example.hr"], "detail-type": ["Lifecycle Change Outcome"] },
      Targets: [
        expect.objectContaining({
          Arn: getAtt(destination),
          DeadLetterConfig: { Arn: getAtt(queue) },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
        }),
      ],
    });
    // EventBridge may send this rule's failed deliveries to the DLQ, and no other rule's.
    configured.template.hasResourceProperties("AWS::SQS::QueuePolicy", {
      Queues: [{ Ref: queue }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sqs:SendMessage",
            Condition: { ArnEquals: { "aws:SourceArn": getAtt(rule) } },
          }),
        ]),
      },
    });
    configured.template.hasOutput("OutcomeWebhookSecretArn", { Value: { Ref: secret } });
  });

  it("alarm on deliveries failing 15 minutes and on those given up, rules on the default bus named by rule alone", () => {
    const [rule] = only(configured, "AWS::Events::Rule", "OutcomesWebhookRule");
    const [queue] = only(configured, "AWS::SQS::Queue", "OutcomesWebhook");
    const alarm = (name: string) => only(configured, "AWS::CloudWatch::Alarm", `Alarms${name}`)[1];
    type Query = {
      Id: string;
      Expression?: string;
      MetricStat?: { Metric: { MetricName: string; Dimensions: unknown[] } };
    };
    const byRule = (MetricName: string) => ({
      Namespace: "AWS/Events",
      MetricName,
      Dimensions: [{ Name: "RuleName", Value: { Ref: rule } }],
    });
    const failing = alarm("OutcomeWebhookFailed").Properties;
    const attempts = failing.Metrics as Query[];
    expect(failing.EvaluationPeriods).toBe(3);
    expect(attempts[0]?.Expression).toBe("FILL(attempts, 0) - FILL(succeeded, 0)");
    expect(attempts.slice(1).map((m) => [m.Id, m.MetricStat?.Metric])).toEqual([
      ["attempts", byRule("InvocationAttempts")],
      ["succeeded", byRule("SuccessfulInvocationAttempts")],
    ]);
    const givenUp = alarm("OutcomeWebhookDeadLetters").Properties.Metrics as Query[];
    expect(givenUp[0]?.Expression).toBe("FILL(waiting, 0) + FILL(failed, 0) + FILL(lost, 0)");
    expect(givenUp.slice(1).map((m) => [m.Id, m.MetricStat?.Metric])).toEqual([
      [
        "waiting",
        {
          Namespace: "AWS/SQS",
          MetricName: "ApproximateNumberOfMessagesVisible",
          Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [queue, "QueueName"] } }],
        },
      ],
      ["failed", byRule("FailedInvocations")],
      ["lost", byRule("InvocationsFailedToBeSentToDlq")],
    ]);
  });

  it("leave cdk-nag with nothing to report", () => {
    expect(configured.violations.filter((v) => v.plugin !== "Construct Annotations")).toEqual([]);
  });
});
