import { STACK_OUTPUTS } from "../../contract/stack-outputs.ts";
import { LOCAL_AWS_CREDENTIALS } from "../../runtime/aws/aws-clients.ts";
import { givenText } from "../../runtime/configuration/setting-rule.ts";
import { MissingSettingError } from "../errors/settings-errors.ts";
import { type LocalStackFile, readLocalStackFile } from "./local-stack-file.ts";

/**
 * Which environment the `lifecycle` command acts on (docs/cli.md, "Where it acts"). Each value
 * comes from the first layer that has it:
 *   1. flags (`--queue-url`, `--dlq-url`, `--ledger-table`, `--region`, `--sqs-endpoint`, …)
 *   2. environment (QUEUE_URL, DLQ_URL, LEDGER_TABLE, AWS_REGION, AWS_ENDPOINT_URL_SQS, …)
 *   3. `.lifecycle/local.json`, written by the running local stack
 *   4. the outputs of the deployed stack named by `--stack NAME`
 * Naming a stack is an explicit choice, so `--stack` skips the local stack file: a local
 * endpoint must never be mixed with a deployed stack's queues.
 */

export interface SettingsFlags {
  stack?: string | undefined;
  region?: string | undefined;
  queueUrl?: string | undefined;
  dlqUrl?: string | undefined;
  ledgerTable?: string | undefined;
  sqsEndpoint?: string | undefined;
  dynamodbEndpoint?: string | undefined;
}

export interface SettingsInputs {
  flags: SettingsFlags;
  env: Readonly<Record<string, string | undefined>>;
  /** Path of `.lifecycle/local.json` to read. */
  localStackFile: string;
  /** How messages name that file (default: the path). */
  localStackFileLabel?: string | undefined;
  /** Reads a deployed stack's outputs (CloudFormation DescribeStacks); only called for `--stack`. */
  readStackOutputs: (stackName: string, region: string) => Promise<Record<string, string>>;
}

export type SettingName = "queueUrl" | "dlqUrl" | "ledgerTable";

export interface LifecycleSettings {
  region: string;
  queueUrl: string | undefined;
  dlqUrl: string | undefined;
  ledgerTable: string | undefined;
  sqsEndpoint: string | undefined;
  dynamodbEndpoint: string | undefined;
  /** Set for the local stand-ins (which accept any); undefined means the standard AWS chain. */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** One line naming the environment, for stderr: "local stack (.lifecycle/local.json)". */
  description: string;
  /** Where each value came from, e.g. `queueUrl` → "QUEUE_URL" (for --verbose). */
  origins: Record<string, string>;
  /**
   * What was read to decide, kept so the platforms are found in the same place: the running
   * local stack's file (read whenever no stack is named), or the named stack's outputs.
   */
  localStack?: LocalStackFile | undefined;
  stackOutputs?: Record<string, string> | undefined;
}

const FLAG_NAMES: Record<SettingName, string> = {
  queueUrl: "--queue-url",
  dlqUrl: "--dlq-url",
  ledgerTable: "--ledger-table",
};
const ENV_NAMES: Record<SettingName, string> = {
  queueUrl: "QUEUE_URL",
  dlqUrl: "DLQ_URL",
  ledgerTable: "LEDGER_TABLE",
};
const LOCAL_KEYS: Record<SettingName, keyof LocalStackFile> = {
  queueUrl: "queueUrl",
  dlqUrl: "dlqUrl",
  ledgerTable: "ledgerTable",
};
const WHAT: Record<SettingName, string> = {
  queueUrl: "source queue URL",
  dlqUrl: "dead-letter queue URL",
  ledgerTable: "ledger table name",
};
const SETTING_NAMES: readonly SettingName[] = ["queueUrl", "dlqUrl", "ledgerTable"];

interface Sourced {
  value: string;
  origin: string;
  explicit: boolean;
}

export async function resolveLifecycleSettings(inputs: SettingsInputs): Promise<LifecycleSettings> {
  const { flags, env } = inputs;
  const explicit: Partial<Record<SettingName, Sourced>> = {};
  for (const name of SETTING_NAMES) {
    const fromFlag = givenText(flags[name]);
    const fromEnv = givenText(env[ENV_NAMES[name]]);
    if (fromFlag !== undefined) {
      explicit[name] = { value: fromFlag, origin: FLAG_NAMES[name], explicit: true };
    } else if (fromEnv !== undefined) {
      explicit[name] = { value: fromEnv, origin: ENV_NAMES[name], explicit: true };
    }
  }
  const sqsEndpoint = firstOf([
    [flags.sqsEndpoint, "--sqs-endpoint"],
    [env.AWS_ENDPOINT_URL_SQS, "AWS_ENDPOINT_URL_SQS"],
    [env.AWS_ENDPOINT_URL, "AWS_ENDPOINT_URL"],
  ]);
  const dynamodbEndpoint = firstOf([
    [flags.dynamodbEndpoint, "--dynamodb-endpoint"],
    [env.AWS_ENDPOINT_URL_DYNAMODB, "AWS_ENDPOINT_URL_DYNAMODB"],
    [env.AWS_ENDPOINT_URL, "AWS_ENDPOINT_URL"],
  ]);
  const regionGiven = firstOf([
    [flags.region, "--region"],
    [env.AWS_REGION, "AWS_REGION"],
    [env.AWS_DEFAULT_REGION, "AWS_DEFAULT_REGION"],
  ]);
  const allExplicit = SETTING_NAMES.every((name) => explicit[name] !== undefined);

  const stackName = givenText(flags.stack);
  if (stackName !== undefined) {
    const region = regionGiven?.value ?? regionOfQueueUrl(explicit.queueUrl?.value) ?? "us-east-1";
    const outputs = await inputs.readStackOutputs(stackName, region);
    const values = layered(explicit, (name) => {
      const value = outputs[STACK_OUTPUTS[name]];
      return value === undefined
        ? undefined
        : { value, origin: `stack output ${STACK_OUTPUTS[name]}`, explicit: false };
    });
    return build({
      region,
      values,
      sqsEndpoint,
      dynamodbEndpoint,
      credentials: undefined,
      base: `stack ${stackName} in ${region}`,
      stackOutputs: outputs,
    });
  }

  // Read even when every setting is given: the platforms may still be found in it.
  const local = await readLocalStackFile(inputs.localStackFile);
  const label = inputs.localStackFileLabel ?? inputs.localStackFile;
  if (local !== undefined && !allExplicit) {
    const values = layered(explicit, (name) => ({
      value: String(local[LOCAL_KEYS[name]]),
      origin: label,
      explicit: false,
    }));
    return build({
      region: givenText(flags.region) ?? local.region,
      values,
      sqsEndpoint: sqsEndpoint ?? { value: local.sqsEndpoint, origin: label },
      dynamodbEndpoint: dynamodbEndpoint ?? {
        value: local.dynamodbEndpoint,
        origin: label,
      },
      credentials: LOCAL_AWS_CREDENTIALS,
      base: `local stack (${label})`,
      localStack: local,
    });
  }

  const values = layered(explicit, () => undefined);
  const region = regionGiven?.value ?? regionOfQueueUrl(values.queueUrl?.value) ?? "us-east-1";
  const givenBy = SETTING_NAMES.flatMap((name) => (values[name] ? [values[name].origin] : []));
  const endpoint = sqsEndpoint ?? dynamodbEndpoint;
  const localEndpoints = [sqsEndpoint, dynamodbEndpoint].some(
    (e) => e !== undefined && isLoopback(e.value),
  );
  const chainConfigured =
    givenText(env.AWS_ACCESS_KEY_ID) !== undefined || givenText(env.AWS_PROFILE) !== undefined;
  return build({
    region,
    values,
    sqsEndpoint,
    dynamodbEndpoint,
    credentials: localEndpoints && !chainConfigured ? LOCAL_AWS_CREDENTIALS : undefined,
    base:
      givenBy.length === 0
        ? `no queues or table configured (region ${region})`
        : `${givenBy.join(", ")} in ${region}${endpoint ? ` via ${endpoint.value}` : ""}`,
    localStack: local,
  });
}

/** The value, or an error naming every way to give it. */
export function requireSetting(settings: LifecycleSettings, name: SettingName): string {
  const value = settings[name];
  if (value !== undefined) return value;
  throw new MissingSettingError(
    name,
    `No ${WHAT[name]} to act on: pass ${FLAG_NAMES[name]}, set ${ENV_NAMES[name]}, start the local stack (npm start), or name a deployed stack with --stack NAME`,
  );
}

function layered(
  explicit: Partial<Record<SettingName, Sourced>>,
  fallback: (name: SettingName) => Sourced | undefined,
): Partial<Record<SettingName, Sourced>> {
  const values: Partial<Record<SettingName, Sourced>> = {};
  for (const name of SETTING_NAMES) {
    const value = explicit[name] ?? fallback(name);
    if (value !== undefined) values[name] = value;
  }
  return values;
}

function build(parts: {
  region: string;
  values: Partial<Record<SettingName, Sourced>>;
  sqsEndpoint: { value: string; origin: string } | undefined;
  dynamodbEndpoint: { value: string; origin: string } | undefined;
  credentials: LifecycleSettings["credentials"];
  base: string;
  localStack?: LocalStackFile | undefined;
  stackOutputs?: Record<string, string> | undefined;
}): LifecycleSettings {
  const { values } = parts;
  const origins: Record<string, string> = {};
  for (const name of SETTING_NAMES) {
    const value = values[name];
    if (value !== undefined) origins[name] = value.origin;
  }
  if (parts.sqsEndpoint) origins.sqsEndpoint = parts.sqsEndpoint.origin;
  if (parts.dynamodbEndpoint) origins.dynamodbEndpoint = parts.dynamodbEndpoint.origin;
  // A value given by flag or environment over a stack or the local file is worth saying: a
  // mix of two environments is the mistake an operator most needs to see.
  const layeredOver = Object.values(values).some((v) => v !== undefined && !v.explicit);
  const overrides = layeredOver
    ? SETTING_NAMES.flatMap((name) => (values[name]?.explicit ? [values[name].origin] : []))
    : [];
  return {
    region: parts.region,
    queueUrl: values.queueUrl?.value,
    dlqUrl: values.dlqUrl?.value,
    ledgerTable: values.ledgerTable?.value,
    sqsEndpoint: parts.sqsEndpoint?.value,
    dynamodbEndpoint: parts.dynamodbEndpoint?.value,
    credentials: parts.credentials,
    description:
      overrides.length > 0
        ? `${parts.base}, with ${overrides.join(", ")} overriding it`
        : parts.base,
    origins,
    localStack: parts.localStack,
    stackOutputs: parts.stackOutputs,
  };
}

function firstOf(
  candidates: readonly [string | undefined, string][],
): { value: string; origin: string } | undefined {
  for (const [value, origin] of candidates) {
    const given = givenText(value);
    if (given !== undefined) return { value: given, origin };
  }
  return undefined;
}

/** `https://sqs.eu-west-1.amazonaws.com/123/q.fifo` → `eu-west-1`. */
export function regionOfQueueUrl(url: string | undefined): string | undefined {
  if (url === undefined || !URL.canParse(url)) return undefined;
  const match = /^sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(new URL(url).hostname);
  return match?.[1];
}

function isLoopback(endpoint: string): boolean {
  if (!URL.canParse(endpoint)) return false;
  const host = new URL(endpoint).hostname;
  return host === "localhost" || host === "[::1]" || host.startsWith("127.");
}
