import { ConfigurationError } from "../shared/errors/configuration-error.ts";
import { parseHttpUrl } from "../shared/http/http-url.ts";
import { DEFAULT_OSIS_BASE_PATH } from "../shared/platforms/osis/osis-base-url.ts";

/**
 * What a deployment is configured with: CDK context keys (cdk.json "context", `-c key=value`,
 * or ~/.cdk.json), each documented in README.md#deploy. Every key has a default so that
 * `cdk synth` works from a fresh clone; the platform keys default to example values that a real
 * deployment must replace (the stack warns while any is left).
 */
export interface StackConfiguration {
  stackName: string;
  accountPlatform: { url: string; tenantId: string };
  osis: { url: string; basePath: string; cdTenantId: string };
  /** Comma-separated, as the consumer's PROTECTED_ACCOUNTS reads it. */
  protectedAccounts: string;
  alarmEmail: string | undefined;
  consumer: {
    maxConcurrency: number;
    timeoutSeconds: number;
    memoryMb: number;
    /** Extra environment variables (tuning knobs), passed through unchanged. */
    tuning: Readonly<Record<string, string>>;
  };
  webhook: {
    throttleRatePerSecond: number;
    throttleBurst: number;
    tuning: Readonly<Record<string, string>>;
  };
  /** The scheduled drift reconciliation (README.md#safety-rails). */
  reconcile: {
    /** An EventBridge schedule expression; daily by default. */
    schedule: string;
  };
  logRetentionDays: number;
  queueAgeAlarmMinutes: number;
  /** Protects the ledger (and keeps it, the secrets and the logs when the stack is deleted). */
  deletionProtection: boolean;
  /** Existing secrets to use instead of creating them (complete ARNs). */
  importedSecretArns: {
    accountPlatform: string | undefined;
    osis: string | undefined;
    webhook: string | undefined;
    bambooHr: string | undefined;
  };
  /** Keys still at their example value: fine for synth, not for a real deployment. */
  exampleValuesInUse: readonly string[];
}

export const CONTEXT_PREFIX = "lifecycle:";

/** Every context key the app reads, without the prefix. */
export const CONTEXT_KEYS = [
  "stackName",
  "accountPlatformUrl",
  "accountPlatformTenantId",
  "osisUrl",
  "osisBasePath",
  "osisCdTenantId",
  "protectedAccounts",
  "alarmEmail",
  "consumerMaxConcurrency",
  "consumerTimeoutSeconds",
  "consumerMemoryMb",
  "consumerTuning",
  "webhookThrottleRatePerSecond",
  "webhookThrottleBurst",
  "webhookTuning",
  "logRetentionDays",
  "queueAgeAlarmMinutes",
  "deletionProtection",
  "accountPlatformSecretArn",
  "osisSecretArn",
  "webhookSecretArn",
  "bambooHrSecretArn",
  "reconcileSchedule",
] as const;
export type ContextKey = (typeof CONTEXT_KEYS)[number];

export const EXAMPLE_VALUES = {
  accountPlatformUrl: "https://account.example.com",
  accountPlatformTenantId: "00000000-0000-4000-8000-000000000001",
  osisUrl: "https://osis.example.com",
  osisCdTenantId: "00000000-0000-4000-8000-000000000002",
} as const satisfies Partial<Record<ContextKey, string>>;

/** The retention periods CloudWatch Logs accepts, in days. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
];

/**
 * Names the functions' wiring sets itself; a tuning record may not override them, or a typo in
 * cdk.json could point the consumer at another queue or secret.
 */
const WIRED_VARIABLES = new Set([
  "QUEUE_URL",
  "DLQ_URL",
  "LEDGER_TABLE",
  "ACCOUNT_PLATFORM_URL",
  "ACCOUNT_PLATFORM_TENANT_ID",
  "ACCOUNT_PLATFORM_SECRET_ID",
  "OSIS_URL",
  "OSIS_BASE_PATH",
  "OSIS_CD_TENANT_ID",
  "OSIS_SECRET_ID",
  "PROTECTED_ACCOUNTS",
  "WEBHOOK_SECRET_ID",
  "BAMBOOHR_SECRET_ID",
  "NODE_OPTIONS",
]);

const ENVIRONMENT_NAME = /^[A-Z][A-Z0-9_]*$/;
/** A complete ARN: it ends in the random six-character suffix Secrets Manager adds to the name. */
const SECRET_ARN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
/** EventBridge: `rate(1 day)`, `rate(12 hours)`, or a six-field `cron(…)`. */
const SCHEDULE_EXPRESSION =
  /^(rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)|cron\(\S+( \S+){5}\))$/;

/**
 * Reads and validates every key at once (`context` is all of the app's context, as
 * `app.node.getAllContext()` gives it); a ConfigurationError names each bad key by its full
 * context name, so the user knows exactly what to fix. An unknown `lifecycle:` key is refused
 * too: a misspelt key would otherwise be ignored silently.
 */
export function readStackConfiguration(
  context: Readonly<Record<string, unknown>>,
): StackConfiguration {
  const problems: string[] = [];
  const exampleValuesInUse: string[] = [];
  const name = (key: ContextKey) => `${CONTEXT_PREFIX}${key}`;
  const known = new Set<string>(CONTEXT_KEYS.map(name));
  for (const key of Object.keys(context)) {
    if (key.startsWith(CONTEXT_PREFIX) && !known.has(key)) {
      problems.push(`${key} is not a known key (see README.md#deploy for the list)`);
    }
  }
  const raw = (key: ContextKey): unknown => {
    const value = context[name(key)];
    return typeof value === "string" && value.trim() === "" ? undefined : value;
  };

  const text = (key: ContextKey, fallback: string | undefined): string | undefined => {
    const value = raw(key);
    if (value === undefined || value === null) return fallback;
    if (typeof value !== "string") {
      problems.push(`${name(key)} must be a string (got ${JSON.stringify(value)})`);
      return fallback;
    }
    return value.trim();
  };

  const example = (key: keyof typeof EXAMPLE_VALUES): string => {
    const value = text(key, undefined);
    if (value !== undefined) return value;
    exampleValuesInUse.push(name(key));
    return EXAMPLE_VALUES[key];
  };

  const httpsUrl = (key: ContextKey, value: string): string => {
    try {
      const url = parseHttpUrl(value, name(key));
      if (url.protocol !== "https:") problems.push(`${name(key)} must be an https URL`);
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      problems.push(...error.problems);
    }
    return value;
  };

  const integer = (key: ContextKey, fallback: number, min: number, max: number): number => {
    const value = raw(key);
    if (value === undefined || value === null) return fallback;
    const number = typeof value === "string" ? Number(value.trim()) : value;
    if (typeof number !== "number" || !Number.isInteger(number) || number < min || number > max) {
      problems.push(
        `${name(key)} must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)})`,
      );
      return fallback;
    }
    return number;
  };

  const boolean = (key: ContextKey, fallback: boolean): boolean => {
    const value = raw(key);
    if (value === undefined || value === null) return fallback;
    if (value === true || value === "true") return true;
    if (value === false || value === "false") return false;
    problems.push(`${name(key)} must be true or false (got ${JSON.stringify(value)})`);
    return fallback;
  };

  const secretArn = (key: ContextKey): string | undefined => {
    const value = text(key, undefined);
    if (value !== undefined && !SECRET_ARN.test(value)) {
      problems.push(
        `${name(key)} must be the complete ARN of a secret (arn:aws:secretsmanager:…:secret:name-AbCdEf)`,
      );
      return undefined;
    }
    return value;
  };

  const tuning = (key: ContextKey): Record<string, string> => {
    let value = raw(key);
    if (value === undefined || value === null) return {};
    if (typeof value === "string") {
      try {
        value = JSON.parse(value);
      } catch {
        problems.push(`${name(key)} must be a JSON object of environment variables`);
        return {};
      }
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problems.push(`${name(key)} must be an object of environment variables`);
      return {};
    }
    const record: Record<string, string> = {};
    for (const [variable, setting] of Object.entries(value)) {
      if (!ENVIRONMENT_NAME.test(variable)) {
        problems.push(
          `${name(key)}: "${variable}" is not an environment variable name (A-Z, 0-9, _)`,
        );
      } else if (WIRED_VARIABLES.has(variable)) {
        problems.push(`${name(key)}: ${variable} is set by the stack itself and cannot be tuned`);
      } else if (
        typeof setting !== "string" &&
        typeof setting !== "number" &&
        typeof setting !== "boolean"
      ) {
        problems.push(`${name(key)}: ${variable} must be a string, number or boolean`);
      } else {
        record[variable] = String(setting);
      }
    }
    return record;
  };

  const protectedAccounts = (): string => {
    const value = raw("protectedAccounts");
    if (value === undefined || value === null) return "";
    const entries = typeof value === "string" ? value.split(",") : value;
    if (!Array.isArray(entries) || entries.some((entry) => typeof entry !== "string")) {
      problems.push(
        `${name("protectedAccounts")} must be a comma-separated string or a list of strings`,
      );
      return "";
    }
    return entries
      .map((entry: string) => entry.trim())
      .filter((entry) => entry !== "")
      .join(",");
  };

  const stackName = text("stackName", "HrLifecycleSync") ?? "HrLifecycleSync";
  if (!STACK_NAME.test(stackName)) {
    problems.push(`${name("stackName")} must be a CloudFormation stack name (letters, digits, -)`);
  }

  const accountPlatformUrl = httpsUrl("accountPlatformUrl", example("accountPlatformUrl"));
  const accountPlatformTenantId = example("accountPlatformTenantId");
  const osisUrl = httpsUrl("osisUrl", example("osisUrl"));
  const osisBasePath = text("osisBasePath", DEFAULT_OSIS_BASE_PATH) ?? DEFAULT_OSIS_BASE_PATH;
  if (!osisBasePath.startsWith("/")) problems.push(`${name("osisBasePath")} must start with "/"`);
  const osisCdTenantId = example("osisCdTenantId");

  const alarmEmail = text("alarmEmail", undefined);
  if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) {
    problems.push(`${name("alarmEmail")} must be an e-mail address`);
  }

  const reconcileSchedule = text("reconcileSchedule", "rate(1 day)") ?? "rate(1 day)";
  if (!SCHEDULE_EXPRESSION.test(reconcileSchedule)) {
    problems.push(
      `${name("reconcileSchedule")} must be an EventBridge schedule expression such as "rate(1 day)" or "cron(0 6 * * ? *)" (got ${JSON.stringify(reconcileSchedule)})`,
    );
  }

  const logRetentionDays = integer("logRetentionDays", 30, 1, 3653);
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
    problems.push(
      `${name("logRetentionDays")} must be one of CloudWatch's periods: ${LOG_RETENTION_DAYS.join(", ")}`,
    );
  }

  const configuration: StackConfiguration = {
    stackName,
    accountPlatform: { url: accountPlatformUrl, tenantId: accountPlatformTenantId },
    osis: { url: osisUrl, basePath: osisBasePath, cdTenantId: osisCdTenantId },
    protectedAccounts: protectedAccounts(),
    alarmEmail,
    consumer: {
      // An SQS event source refuses a maximum concurrency below 2.
      maxConcurrency: integer("consumerMaxConcurrency", 5, 2, 1000),
      // The queue's visibility timeout is six times this, and SQS allows at most 12 hours.
      timeoutSeconds: integer("consumerTimeoutSeconds", 60, 30, 900),
      memoryMb: integer("consumerMemoryMb", 512, 128, 10_240),
      tuning: tuning("consumerTuning"),
    },
    webhook: {
      throttleRatePerSecond: integer("webhookThrottleRatePerSecond", 50, 1, 10_000),
      throttleBurst: integer("webhookThrottleBurst", 100, 1, 5_000),
      tuning: tuning("webhookTuning"),
    },
    reconcile: { schedule: reconcileSchedule },
    logRetentionDays,
    queueAgeAlarmMinutes: integer("queueAgeAlarmMinutes", 30, 1, 20_160),
    deletionProtection: boolean("deletionProtection", true),
    importedSecretArns: {
      accountPlatform: secretArn("accountPlatformSecretArn"),
      osis: secretArn("osisSecretArn"),
      webhook: secretArn("webhookSecretArn"),
      bambooHr: secretArn("bambooHrSecretArn"),
    },
    exampleValuesInUse,
  };
  if (problems.length > 0) {
    throw new ConfigurationError("The CDK context does not configure a usable stack", problems);
  }
  return configuration;
}
