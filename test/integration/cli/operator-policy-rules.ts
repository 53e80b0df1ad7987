import type { Template } from "aws-cdk-lib/assertions";
import { DUE_CHANGES_INDEX } from "../../../shared/contract/ledger-keys.ts";
import type { AwsCall } from "./aws-call-recorder.ts";

/** One action on one of the stack's resources, named in words (`source queue`). */
export interface Permission {
  action: string;
  resource: string;
  /** The command that needed it. */
  by?: string;
}

/** The stack's resources as a policy names them in the template (JSON) → their name in words. */
export type PolicyRoles = Map<string, string>;

/** Where a request names the resource it acts on. */
const RESOURCE_FIELDS = [
  "QueueUrl",
  "SourceArn",
  "TaskHandle",
  "TableName",
  "SecretId",
  "StackName",
  "logGroupName",
];

/**
 * What a request needs besides its own action: SQS moves messages for StartMessageMoveTask with
 * the caller's permissions, receiving and deleting from the source, sending to the destination.
 */
const IMPLIED: Readonly<Record<string, readonly { action: string; on: string }[]>> = {
  "sqs:StartMessageMoveTask": [
    { action: "sqs:ReceiveMessage", on: "SourceArn" },
    { action: "sqs:DeleteMessage", on: "SourceArn" },
    { action: "sqs:GetQueueAttributes", on: "SourceArn" },
    { action: "sqs:SendMessage", on: "DestinationArn" },
  ],
};

/** The permissions one recorded request needs; `names` says which resource a name or ARN is. */
export function neededPermissions(call: AwsCall, names: Record<string, string>): Permission[] {
  const named = (field: string) => {
    const value = call.input[field];
    return typeof value === "string" ? (names[value] ?? `unknown ${field} ${value}`) : undefined;
  };
  const index = call.input.IndexName;
  const own =
    busOf(call, names) ??
    (typeof index === "string"
      ? index === DUE_CHANGES_INDEX.name
        ? "due-changes index"
        : `unknown index ${index}`
      : (RESOURCE_FIELDS.map(named).find((found) => found !== undefined) ??
        `unknown resource of ${JSON.stringify(call.input).slice(0, 120)}`));
  return [
    { action: call.action, resource: own, by: call.by },
    ...(IMPLIED[call.action] ?? []).map(({ action, on }) => ({
      action,
      resource: named(on) ?? `unknown ${on}`,
      by: call.by,
    })),
  ];
}

/** PutEvents names its bus in each entry; IAM authorizes it on every bus named. */
function busOf(call: AwsCall, names: Record<string, string>): string | undefined {
  const entries = call.input.Entries;
  if (call.action !== "events:PutEvents" || !Array.isArray(entries)) return undefined;
  const buses = new Set(entries.map((entry: { EventBusName?: unknown }) => entry.EventBusName));
  if (buses.size !== 1) return `entries naming ${buses.size} buses`;
  const [bus] = buses;
  return typeof bus === "string" ? (names[bus] ?? `unknown bus ${bus}`) : "the default bus";
}

/** The stack's resources a policy may name, as the template writes them. */
export function rolesInTemplate(template: Template): PolicyRoles {
  const id = (type: string, prefix: string): string => {
    const found = Object.keys(template.findResources(type)).filter((key) => key.startsWith(prefix));
    if (found.length !== 1) throw new Error(`expected one ${type} named ${prefix}…: ${found}`);
    return found[0] as string;
  };
  const arn = (logicalId: string) => ({ "Fn::GetAtt": [logicalId, "Arn"] });
  const table = id("AWS::DynamoDB::Table", "Ledger");
  const roles: [unknown, string][] = [
    [arn(id("AWS::SQS::Queue", "QueuesQueue")), "source queue"],
    [arn(id("AWS::SQS::Queue", "QueuesDeadLetterQueue")), "dead-letter queue"],
    [arn(table), "ledger table"],
    [{ "Fn::Join": ["", [arn(table), `/index/${DUE_CHANGES_INDEX.name}`]] }, "due-changes index"],
    [
      { Ref: id("AWS::SecretsManager::Secret", "SecretsAccountPlatformSecret") },
      "account platform secret",
    ],
    [{ Ref: id("AWS::SecretsManager::Secret", "SecretsOsisSecret") }, "OSIS secret"],
    [{ Ref: "AWS::StackId" }, "this stack"],
    [arn(id("AWS::Events::EventBus", "OutcomesBus")), "outcome bus"],
    [arn(id("AWS::Logs::LogGroup", "OutcomesLog")), "outcome log group"],
  ];
  return new Map(roles.map(([expression, name]) => [JSON.stringify(expression), name]));
}

/** Every action × resource the managed policy (logical id `prefix…`) allows, in words. */
export function grantedPermissions(
  template: Template,
  prefix: string,
  roles: PolicyRoles,
): Permission[] {
  const policies = Object.entries(template.findResources("AWS::IAM::ManagedPolicy")).filter(
    ([key]) => key.startsWith(prefix),
  );
  if (policies.length !== 1) throw new Error(`expected one managed policy named ${prefix}…`);
  const [, policy] = policies[0] as [string, { Properties: { PolicyDocument: PolicyDocument } }];
  return policy.Properties.PolicyDocument.Statement.flatMap((statement) => {
    if (statement.Effect !== "Allow") return [];
    return list(statement.Action).flatMap((action) =>
      list(statement.Resource).map((resource) => ({
        action,
        resource: roles.get(JSON.stringify(resource)) ?? `unrecognised ${JSON.stringify(resource)}`,
      })),
    );
  });
}

interface PolicyDocument {
  Statement: { Effect: string; Action: string | string[]; Resource: unknown }[];
}

function list<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}
