import { OUTCOME_DEFAULT_SOURCE } from "../shared/contract/outcome-event.ts";
import {
  type CrossCheck,
  readSettings,
  type SettingValues,
} from "../shared/runtime/configuration/read-settings.ts";
import {
  httpUrl,
  list,
  oneOf,
  optionalText,
  osisBasePath,
  string,
  trueOrFalse,
  wholeNumber,
} from "../shared/runtime/configuration/setting-fields.ts";
import {
  type Condition,
  checked,
  mapped,
  matches,
  must,
  optional,
  orDefault,
  setting,
} from "../shared/runtime/configuration/setting-rule.ts";
import { SHARED_BAMBOOHR_SETTINGS, tuning } from "./function-tuning.ts";

/**
 * What a deployment is configured with: CDK context keys (cdk.json "context", `-c key=value`,
 * or ~/.cdk.json), each documented in README.md#deploy. Every key has a default so that
 * `cdk synth` works from a fresh clone; the platform keys default to example values that a real
 * deployment must replace (the stack warns while any is left).
 */
export const CONTEXT_PREFIX = "lifecycle:";

export const EXAMPLE_VALUES = {
  accountPlatformUrl: "https://account.example.com",
  accountPlatformTenantId: "00000000-0000-4000-8000-000000000001",
  osisUrl: "https://osis.example.com",
  osisCdTenantId: "00000000-0000-4000-8000-000000000002",
} as const;

/** The application log levels the functions' logger writes (Lambda also knows TRACE and FATAL). */
export const LOG_LEVELS = ["DEBUG", "INFO", "WARN", "ERROR"] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** The retention periods CloudWatch Logs accepts, in days. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
];

/** A complete ARN: it ends in the random six-character suffix Secrets Manager adds to the name. */
const SECRET_ARN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/;
/** EventBridge: `rate(1 day)`, `rate(12 hours)`, or a six-field `cron(…)`. */
const SCHEDULE_EXPRESSION =
  /^(rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)|cron\(\S+( \S+){5}\))$/;

/** An https URL, optional (a platform's URL then defaults to its example value). */
const httpsUrl = optional(
  checked(
    httpUrl,
    must((url) => new URL(url).protocol === "https:", "must be an https URL"),
  ),
);
const secretArn = optional(
  checked(
    string,
    matches(
      SECRET_ARN,
      "must be the complete ARN of a secret (arn:aws:secretsmanager:…:secret:name-AbCdEf)",
    ),
  ),
);
/** Text that meets `conditions`, `fallback` when not given. */
const textOr = (fallback: string, ...conditions: Condition<string>[]) =>
  setting(orDefault(checked(string, ...conditions), fallback));

/** EventBridge's rule for a bus name. */
const EVENT_BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;
/** An HTTP header name (RFC 9110's token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,512}$/;

/** Every context key the app reads (without the prefix), its rule and its default. */
const contextKeys = {
  stackName: textOr(
    "HrLifecycleSync",
    matches(
      /^[A-Za-z][A-Za-z0-9-]{0,127}$/,
      "must be a CloudFormation stack name (letters, digits, -)",
    ),
  ),
  accountPlatformUrl: httpsUrl,
  accountPlatformTenantId: optionalText,
  osisUrl: httpsUrl,
  osisBasePath,
  osisCdTenantId: optionalText,
  /** Comma-separated (or a list): the consumer's OSIS_CD_TENANT_IDS; default the cd tenant alone. */
  osisCdTenantIds: mapped(list, joinedEntries),
  /** Comma-separated (or a list), as the consumer's PROTECTED_ACCOUNTS reads it. */
  protectedAccounts: mapped(list, joinedEntries),
  alarmEmail: optional(
    checked(string, matches(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "must be an e-mail address")),
  ),
  // An SQS event source refuses a maximum concurrency below 2. Ten, not five: the degraded
  // drill drains in 271 s instead of 458 s, now that a late OSIS write cannot undo the
  // person's next event (docs/performance.md), and the pace protects the platforms.
  consumerMaxConcurrency: wholeNumber(10, 2, 1000),
  // The queue's visibility timeout is six times this, and SQS allows at most 12 hours.
  consumerTimeoutSeconds: wholeNumber(60, 30, 900),
  consumerMemoryMb: wholeNumber(512, 128, 10_240),
  consumerTuning: tuning,
  /** The stage's throttle: any method a route below does not set. */
  webhookThrottleRatePerSecond: wholeNumber(50, 1, 10_000),
  webhookThrottleBurst: wholeNumber(100, 1, 5_000),
  /** Each route's own throttle, so that a flood on one route cannot spend another's share. */
  webhookEventsThrottleRatePerSecond: wholeNumber(50, 1, 10_000),
  webhookEventsThrottleBurst: wholeNumber(100, 1, 5_000),
  webhookBambooHrThrottleRatePerSecond: wholeNumber(10, 1, 10_000),
  webhookBambooHrThrottleBurst: wholeNumber(20, 1, 5_000),
  /** `/scim/v2/…`'s own: Microsoft Entra's provisioning cycle sends its requests in bursts. */
  webhookScimThrottleRatePerSecond: wholeNumber(20, 1, 10_000),
  webhookScimThrottleBurst: wholeNumber(40, 1, 5_000),
  /** Extra environment variables of the SCIM function (SCIM_*). */
  scimTuning: tuning,
  /** The AWS WAF web ACL on the webhook's stage (a rate limit per client address). */
  webhookWaf: trueOrFalse(true),
  /** Requests one client address may make in a minute before WAF answers 503 (WAF's least: 10). */
  webhookWafRequestsPerMinute: wholeNumber(300, 10, 2_000_000_000),
  webhookTuning: tuning,
  /** The functions' application log level, applied by Lambda's advanced logging controls. */
  logLevel: setting(
    orDefault(
      oneOf(LOG_LEVELS, () => `must be one of ${LOG_LEVELS.join(", ")}`),
      "INFO",
    ),
  ),
  logRetentionDays: checked(
    wholeNumber(30, 1, 3653),
    must(
      (days) => LOG_RETENTION_DAYS.includes(days),
      `must be one of CloudWatch's periods: ${LOG_RETENTION_DAYS.join(", ")}`,
    ),
  ),
  queueAgeAlarmMinutes: wholeNumber(30, 1, 20_160),
  /** Protects the ledger (and keeps it, the secrets and the logs when the stack is deleted). */
  deletionProtection: trueOrFalse(true),
  accountPlatformSecretArn: secretArn,
  osisSecretArn: secretArn,
  webhookSecretArn: secretArn,
  bambooHrSecretArn: secretArn,
  bambooHrApiSecretArn: secretArn,
  scimTokenSecretArn: secretArn,
  /** The scheduled drift reconciliation (README.md#safety-rails): an EventBridge schedule. */
  reconcileSchedule: textOr(
    "rate(1 day)",
    matches(
      SCHEDULE_EXPRESSION,
      (given) =>
        `must be an EventBridge schedule expression such as "rate(1 day)" or "cron(0 6 * * ? *)" (got ${JSON.stringify(given)})`,
    ),
  ),
  /** The ReconcilePassStale alarm: hours without a finished pass over everyone. */
  reconcileMaxPassHours: wholeNumber(48, 1, 720),
  /** An existing EventBridge bus to publish outcomes to, by name; unset: the stack creates one. */
  eventBusName: optional(
    checked(
      string,
      matches(EVENT_BUS_NAME, "must be an EventBridge bus name (letters, digits, / . - _)"),
    ),
  ),
  /** The outcome events' `source`: EventBridge reserves `aws.…` for AWS's own services. */
  outcomeSource: textOr(
    OUTCOME_DEFAULT_SOURCE,
    matches(/^\S{1,256}$/, "must be 1 to 256 characters without spaces"),
    must(
      (source) => !source.toLowerCase().startsWith("aws."),
      (source) =>
        `must not start with "aws." (EventBridge reserves it for AWS services; got ${JSON.stringify(source)})`,
    ),
  ),
  /** Days the bus's archive keeps outcomes for replay; 0 keeps them indefinitely. */
  outcomeArchiveDays: wholeNumber(30, 0, 3_650),
  /** An https endpoint that receives every outcome (an EventBridge API destination). */
  outcomeWebhookUrl: httpsUrl,
  /** The header the webhook's API key is sent in. */
  outcomeWebhookApiKeyHeader: textOr(
    "x-api-key",
    matches(HEADER_NAME, "must be an HTTP header name"),
  ),
};
function joinedEntries(entries: string[]): string {
  return entries.join(",");
}

export const CONTEXT_KEYS = Object.keys(contextKeys) as (keyof typeof contextKeys)[];

/** The BambooHR settings the consumer shares with the webhook are given once, to the webhook. */
const sharedSettingsGivenOnce: CrossCheck<typeof contextKeys> = ({ consumerTuning }) =>
  Object.keys(consumerTuning ?? {})
    .filter((name) => SHARED_BAMBOOHR_SETTINGS.includes(name))
    .map((name) => ({
      setting: "consumerTuning",
      inside: true,
      message: `${name} is set in ${CONTEXT_PREFIX}webhookTuning: the webhook and the consumer share it`,
    }));

function stackConfigurationOf(context: SettingValues<typeof contextKeys>) {
  /** Keys still at their example value: fine for synth, not for a real deployment. */
  const exampleValuesInUse: string[] = [];
  const orExample = (key: keyof typeof EXAMPLE_VALUES): string => {
    const value = context[key];
    if (value !== undefined) return value;
    exampleValuesInUse.push(`${CONTEXT_PREFIX}${key}`);
    return EXAMPLE_VALUES[key];
  };
  return {
    stackName: context.stackName,
    accountPlatform: {
      url: orExample("accountPlatformUrl"),
      tenantId: orExample("accountPlatformTenantId"),
    },
    osis: {
      url: orExample("osisUrl"),
      basePath: context.osisBasePath,
      cdTenantId: orExample("osisCdTenantId"),
      cdTenantIds:
        context.osisCdTenantIds || (context.osisCdTenantId ?? EXAMPLE_VALUES.osisCdTenantId),
    },
    protectedAccounts: context.protectedAccounts,
    alarmEmail: context.alarmEmail,
    consumer: {
      maxConcurrency: context.consumerMaxConcurrency,
      timeoutSeconds: context.consumerTimeoutSeconds,
      memoryMb: context.consumerMemoryMb,
      tuning: context.consumerTuning,
    },
    webhook: {
      throttleRatePerSecond: context.webhookThrottleRatePerSecond,
      throttleBurst: context.webhookThrottleBurst,
      routeThrottles: {
        events: {
          ratePerSecond: context.webhookEventsThrottleRatePerSecond,
          burst: context.webhookEventsThrottleBurst,
        },
        bamboohr: {
          ratePerSecond: context.webhookBambooHrThrottleRatePerSecond,
          burst: context.webhookBambooHrThrottleBurst,
        },
      },
      waf: context.webhookWaf
        ? { requestsPerMinute: context.webhookWafRequestsPerMinute }
        : undefined,
      tuning: context.webhookTuning,
    },
    scim: {
      throttle: {
        ratePerSecond: context.webhookScimThrottleRatePerSecond,
        burst: context.webhookScimThrottleBurst,
      },
      tuning: context.scimTuning,
    },
    reconcile: {
      schedule: context.reconcileSchedule,
      maxPassHours: context.reconcileMaxPassHours,
    },
    logLevel: context.logLevel,
    logRetentionDays: context.logRetentionDays,
    queueAgeAlarmMinutes: context.queueAgeAlarmMinutes,
    deletionProtection: context.deletionProtection,
    outcomes: {
      eventBusName: context.eventBusName,
      source: context.outcomeSource,
      archiveDays: context.outcomeArchiveDays,
      webhook:
        context.outcomeWebhookUrl === undefined
          ? undefined
          : { url: context.outcomeWebhookUrl, apiKeyHeader: context.outcomeWebhookApiKeyHeader },
    },
    /** Existing secrets to use instead of creating them (complete ARNs). */
    importedSecretArns: {
      accountPlatform: context.accountPlatformSecretArn,
      osis: context.osisSecretArn,
      webhook: context.webhookSecretArn,
      bambooHr: context.bambooHrSecretArn,
      bambooHrApi: context.bambooHrApiSecretArn,
      scimToken: context.scimTokenSecretArn,
    },
    exampleValuesInUse: exampleValuesInUse as readonly string[],
  };
}

export type StackConfiguration = ReturnType<typeof stackConfigurationOf>;

/**
 * Reads and validates every `lifecycle:` key at once (`context` is all of the app's context, as
 * `app.node.getAllContext()` gives it); the one ConfigurationError names each bad key by its
 * full context name, so the user knows exactly what to fix.
 */
export function readStackConfiguration(
  context: Readonly<Record<string, unknown>>,
): StackConfiguration {
  const ours = Object.entries(context).flatMap(([key, value]) =>
    key.startsWith(CONTEXT_PREFIX) ? [[key.slice(CONTEXT_PREFIX.length), value]] : [],
  );
  const values = readSettings(
    contextKeys,
    Object.fromEntries(ours),
    "The CDK context does not configure a usable stack",
    {
      name: (key) => `${CONTEXT_PREFIX}${key}`,
      // A misspelt `lifecycle:` key would otherwise be ignored silently.
      unknownKey: "is not a known key (see README.md#deploy for the list)",
      checks: [sharedSettingsGivenOnce],
    },
  );
  return stackConfigurationOf(values);
}
