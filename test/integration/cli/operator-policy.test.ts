import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import {
  CancelMessageMoveTaskCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STACK_OUTPUTS } from "../../../shared/contract/stack-outputs.ts";
import {
  createDynamoDbClient,
  createSqsClient,
  LOCAL_AWS_CREDENTIALS as credentials,
} from "../../../shared/runtime/aws/aws-clients.ts";
import { buildDeadLetterMessage } from "../../../shared/runtime/dlq/dead-letter-message.ts";
import { SYNTH_TIMEOUT_MS, synthesizeWithStubHandlers } from "../../infra/synthesize.ts";
import { leafCommands } from "../../support/cli-commands.ts";
import {
  CD_TENANT_ID,
  type ConsumerEnvironment,
  LEDGER_TABLE,
  type Scenario,
  startConsumerEnvironment,
  TENANT_ID,
} from "../../support/consumer-environment.ts";
import { OSIS_TENANT_ID, seedPerson } from "../../support/people.ts";
import { type AwsCall, AwsCallRecorder } from "./aws-call-recorder.ts";
import { deadLetterOf, event } from "./cli-fixtures.ts";
import { localStackDirectory } from "./cli-harness.ts";
import {
  grantedPermissions,
  neededPermissions,
  type Permission,
  rolesInTemplate,
} from "./operator-policy-rules.ts";
import { type CliResult, runCli } from "./run-cli.ts";

/**
 * Every `lifecycle` command against a "deployed" stack (--stack: its outputs from a mocked
 * CloudFormation, its secrets from a mocked Secrets Manager, its queues and ledger on fauxqs and
 * dynalite), every AWS request recorded, held to the operator policy the stack synthesizes.
 */
const STACK = "HrLifecycleSync";
const NOT_AGAINST_A_STACK = ["local"];

let environment: ConsumerEnvironment;
let scenario: Scenario;
let cwd: string;
let operator: Permission[];
let producer: Permission[];
const recorder = new AwsCallRecorder();
const cloudFormation = new CloudFormationClient({ region: "us-east-1" });
const secrets = new SecretsManagerClient({ region: "us-east-1" });
const cloudFormationMock = mockClient(cloudFormation);
const secretsMock = mockClient(secrets);
const eventBridge = new EventBridgeClient({ region: "us-east-1" });
const eventBridgeMock = mockClient(eventBridge);
const logs = new CloudWatchLogsClient({ region: "us-east-1" });
const logsMock = mockClient(logs);
const movingSqs = new SQSClient({ region: "us-east-1" });
const movingSqsMock = mockClient(movingSqs);
const ran: string[] = [];

beforeAll(async () => {
  const synthesized = synthesizeWithStubHandlers();
  try {
    const roles = rolesInTemplate(synthesized.template);
    operator = grantedPermissions(synthesized.template, "AccessOperator", roles);
    producer = grantedPermissions(synthesized.template, "AccessProducer", roles);
  } finally {
    synthesized.cleanUp();
  }
  environment = await startConsumerEnvironment();
  scenario = await environment.scenario();
  cwd = await localStackDirectory({
    sqsEndpoint: environment.sqsServer.endpoint,
    dynamodbEndpoint: environment.dynamoDbServer.endpoint,
    queueUrl: scenario.queueUrl,
    dlqUrl: scenario.dlqUrl,
    ledgerTable: LEDGER_TABLE,
  });
  answerAsTheStack();
  await runEveryCommand();
}, SYNTH_TIMEOUT_MS);
afterAll(async () => {
  scenario?.close();
  await environment?.stop();
});

const ARNS = {
  queue: "arn:aws:sqs:us-east-1:123456789012:events.fifo",
  dlq: "arn:aws:sqs:us-east-1:123456789012:events-dlq.fifo",
  accountSecret: "arn:aws:secretsmanager:us-east-1:123456789012:secret:account-AbCdEf",
  osisSecret: "arn:aws:secretsmanager:us-east-1:123456789012:secret:osis-AbCdEf",
};
const OUTCOME_BUS = `${STACK}-outcomes`;
const OUTCOME_LOG_GROUP = `/aws/events/${STACK}/outcomes`;

function answerAsTheStack(): void {
  const outputs: Record<string, string> = {
    [STACK_OUTPUTS.queueUrl]: scenario.queueUrl,
    [STACK_OUTPUTS.dlqUrl]: scenario.dlqUrl,
    [STACK_OUTPUTS.ledgerTable]: LEDGER_TABLE,
    [STACK_OUTPUTS.accountPlatformUrl]: environment.accountPlatform.url,
    [STACK_OUTPUTS.osisUrl]: `${environment.osis.url}${environment.osis.basePath}`,
    [STACK_OUTPUTS.accountPlatformSecretArn]: ARNS.accountSecret,
    [STACK_OUTPUTS.osisSecretArn]: ARNS.osisSecret,
    [STACK_OUTPUTS.outcomeBusName]: OUTCOME_BUS,
    [STACK_OUTPUTS.outcomeLogGroupName]: OUTCOME_LOG_GROUP,
  };
  cloudFormationMock.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: STACK,
        CreationTime: new Date(),
        StackStatus: "CREATE_COMPLETE",
        Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({
          OutputKey,
          OutputValue,
        })),
      },
    ],
  });
  secretsMock
    .on(GetSecretValueCommand, { SecretId: ARNS.accountSecret })
    .resolves({ SecretString: JSON.stringify(environment.accountPlatformCredentials) })
    .on(GetSecretValueCommand, { SecretId: ARNS.osisSecret })
    .resolves({ SecretString: JSON.stringify(environment.osisCredentials) });
  // No local EventBridge or CloudWatch Logs behind a stack: what the CLI asks of them is mocked.
  eventBridgeMock.on(PutEventsCommand).callsFake((input: { Entries?: unknown[] }) => ({
    FailedEntryCount: 0,
    Entries: (input.Entries ?? []).map((_, index) => ({ EventId: `event-${index}` })),
  }));
  logsMock.on(FilterLogEventsCommand).resolves({ events: [] });
  // fauxqs has no message-move API: the native redrive runs on a mock of SQS.
  movingSqsMock
    .on(GetQueueAttributesCommand, { QueueUrl: scenario.queueUrl })
    .resolves({ Attributes: { QueueArn: ARNS.queue } })
    .on(GetQueueAttributesCommand, { QueueUrl: scenario.dlqUrl })
    .resolves({ Attributes: { QueueArn: ARNS.dlq } })
    .on(StartMessageMoveTaskCommand)
    .resolves({ TaskHandle: "task-1" })
    .on(ListMessageMoveTasksCommand)
    .resolves({ Results: [{ Status: "COMPLETED", ApproximateNumberOfMessagesMoved: 1 }] })
    .on(CancelMessageMoveTaskCommand)
    .resolves({});
}

/** `lifecycle --stack … <argv>`, recorded; it must end with `code`. */
async function lifecycle(
  argv: string[],
  options: { code?: number; moving?: boolean; signal?: AbortSignal } = {},
): Promise<CliResult> {
  recorder.by = commandPathOf(argv);
  ran.push(recorder.by);
  const result = await runCli(
    cwd,
    [
      "--stack",
      STACK,
      "--region",
      "us-east-1",
      "--sqs-endpoint",
      environment.sqsServer.endpoint,
      "--dynamodb-endpoint",
      environment.dynamoDbServer.endpoint,
      ...argv,
    ],
    {
      env: { ACCOUNT_PLATFORM_TENANT_ID: TENANT_ID, OSIS_CD_TENANT_ID: CD_TENANT_ID },
      clients: {
        // A deployed stack's settings carry no credentials; these stand-ins take the local ones.
        sqs: (o) =>
          options.moving ? movingSqs : recorder.record(createSqsClient({ ...o, credentials })),
        dynamodb: (o) => recorder.record(createDynamoDbClient({ ...o, credentials })),
        cloudFormation: () => cloudFormation,
        secretsManager: () => secrets,
        eventBridge: () => eventBridge,
        cloudWatchLogs: () => logs,
      },
      sleep: async () => {},
      ...(options.signal ? { signal: options.signal } : {}),
    },
  );
  recorder.takeMocked(cloudFormationMock, "CloudFormationClient");
  recorder.takeMocked(secretsMock, "SecretsManagerClient");
  recorder.takeMocked(movingSqsMock, "SQSClient");
  recorder.takeMocked(eventBridgeMock, "EventBridgeClient");
  recorder.takeMocked(logsMock, "CloudWatchLogsClient");
  expect(result.code, `lifecycle ${argv.join(" ")}\n${result.stderr}`).toBe(options.code ?? 0);
  return result;
}

/** Each leaf command once at least, on a story that gives each something to do. */
async function runEveryCommand(): Promise<void> {
  const naming = (subject: string, seeded: ReturnType<typeof seedPerson> | undefined) => [
    "--subject",
    subject,
    ...(seeded
      ? ["--account-user-id", seeded.accountUser.id]
      : ["--account-external-id", `ext-${subject}`]),
    "--osis-tenant-id",
    OSIS_TENANT_ID,
    "--osis-user-id",
    `osis-${subject}`,
  ];
  const leaver = seedPerson(environment, "emp-a");
  await lifecycle(["send", "--type", "offboarded", ...naming("emp-a", leaver)]);
  await scenario.drain();
  // Someone re-enables the leaver by hand: drift.
  environment.accountPlatform.setUser(leaver.accountUser.id, { enabled: true });
  await lifecycle(["reconcile", "--apply", "--yes"]);
  await lifecycle(["reconcile", "status"]);
  await scenario.drain();

  await lifecycle(["send", "--type", "offboarded", ...naming("emp-b", undefined)]);
  await scenario.drain();
  await lifecycle(["dlq", "list"]);
  await lifecycle(["plan", "--dlq"]);
  const file = join(cwd, "events.json");
  await writeFile(file, JSON.stringify(event("emp-a", { data: leaver.data })));
  await lifecycle(["plan", "--file", file]);
  seedPerson(environment, "emp-b");
  await lifecycle(["dlq", "redrive", "--all"]);
  await scenario.drain();

  await lifecycle(["send", "--type", "offboarded", ...naming("emp-c", undefined)]);
  await scenario.drain();
  await lifecycle(["dlq", "discard", "--all", "--yes"]);

  await lifecycle(["status", "emp-a"]);
  await lifecycle(["outcomes"]);
  await lifecycle(["platforms"]);

  const rehire = ["--type", "onboarded", "--effective-at", "+3d", ...naming("emp-a", leaver)];
  await lifecycle(["send", ...rehire]);
  await scenario.drain();
  await lifecycle(["schedule", "list"]);
  await lifecycle(["schedule", "cancel", "emp-a", "--yes"]);

  const held = event("emp-d", { id: randomUUID() });
  await environment.sqs.send(
    new SendMessageCommand(
      buildDeadLetterMessage(scenario.dlqUrl, deadLetterOf(held, { reason: "held_by_guard" })),
    ),
  );
  await lifecycle(["guard", "status"]);
  await lifecycle(["guard", "release", "--redrive", "--yes"]);

  await lifecycle(["dlq", "redrive", "--all", "--native"], { moving: true });
  // Ctrl-C at once: the task is cancelled.
  movingSqsMock.on(ListMessageMoveTasksCommand).resolves({ Results: [{ Status: "CANCELLED" }] });
  const interrupt = new AbortController();
  interrupt.abort();
  await lifecycle(["dlq", "redrive", "--all", "--native"], {
    moving: true,
    signal: interrupt.signal,
    code: 1,
  });
}

describe("the operator policy", () => {
  it("is tried with every command commander registers", () => {
    const missing = leafPaths().filter(
      (path) => !NOT_AGAINST_A_STACK.includes(path) && !ran.includes(path),
    );
    expect(
      missing,
      "run these commands in runEveryCommand (test/integration/cli/operator-policy.test.ts), then give the operator policy (infra/constructs/access-policies.ts) what they call",
    ).toEqual([]);
  });

  it("allows every AWS request every command made, and what each implies", () => {
    const missing = neededByCommands()
      .filter((need) => !operator.some((grant) => sameGrant(grant, need)))
      .map((need) => `${need.action} on ${need.resource} (lifecycle ${need.by})`);
    expect(
      [...new Set(missing)],
      "add these to the operator policy (infra/constructs/access-policies.ts)",
    ).toEqual([]);
  });

  it("allows nothing no command used", () => {
    const needed = neededByCommands();
    const unused = operator
      .filter((grant) => !needed.some((need) => sameGrant(grant, need)))
      .map((grant) => `${grant.action} on ${grant.resource}`);
    expect(unused, "remove these from the operator policy, or run what needs them").toEqual([]);
  });
});

describe("the producer policy", () => {
  it("sends to the source queue, and nothing else", () => {
    expect(producer.map((grant) => `${grant.action} on ${grant.resource}`)).toEqual([
      "sqs:SendMessage on source queue",
    ]);
  });
});

function neededByCommands(): Permission[] {
  return recorder.calls.flatMap((call: AwsCall) => neededPermissions(call, scenarioRoles()));
}

function sameGrant(a: Omit<Permission, "by">, b: Omit<Permission, "by">): boolean {
  return a.action === b.action && a.resource === b.resource;
}

/** Which resource of the stack each local name or ARN stands for. */
function scenarioRoles(): Record<string, string> {
  return {
    [scenario.queueUrl]: "source queue",
    [ARNS.queue]: "source queue",
    [scenario.dlqUrl]: "dead-letter queue",
    [ARNS.dlq]: "dead-letter queue",
    "task-1": "dead-letter queue",
    [LEDGER_TABLE]: "ledger table",
    [ARNS.accountSecret]: "account platform secret",
    [ARNS.osisSecret]: "OSIS secret",
    [STACK]: "this stack",
    [OUTCOME_BUS]: "outcome bus",
    [OUTCOME_LOG_GROUP]: "outcome log group",
  };
}

function leafPaths(): string[] {
  return leafCommands().map(({ path }) => path.join(" "));
}

function commandPathOf(argv: readonly string[]): string {
  const words = argv.filter((word) => !word.startsWith("-"));
  const two = words.slice(0, 2).join(" ");
  return leafPaths().includes(two) ? two : (words[0] ?? "");
}
