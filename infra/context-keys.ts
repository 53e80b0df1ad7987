import { OUTCOME_DEFAULT_SOURCE } from "../shared/contract/outcome-event.ts";
import type { SettingValues } from "../shared/runtime/configuration/read-settings.ts";
import {
  list,
  optionalText,
  osisBasePath,
  string,
  trueOrFalse,
  wholeNumber,
} from "../shared/runtime/configuration/setting-fields.ts";
import {
  checked,
  mapped,
  matches,
  must,
  optional,
} from "../shared/runtime/configuration/setting-rule.ts";
import {
  EVENT_BUS_NAME,
  HEADER_NAME,
  httpsUrl,
  joinedEntries,
  logLevel,
  logRetentionDays,
  SCHEDULE_EXPRESSION,
  secretArn,
  textOr,
} from "./context-key-rules.ts";
import { tuning } from "./function-tuning.ts";

/**
 * What a deployment is configured with: CDK context keys (cdk.json "context", `-c key=value`,
 * or ~/.cdk.json), each documented in README.md#deploy. Every key has a default so that
 * `cdk synth` works from a fresh clone; the platform keys default to example values that a real
 * deployment must replace (the stack warns while any is left).
 */
export const CONTEXT_PREFIX = "lifecycle:";

/** Every context key the app reads (without the prefix), its rule and its default. */
export const contextKeys = {
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
  logLevel,
  logRetentionDays,
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

export const CONTEXT_KEYS = Object.keys(contextKeys) as (keyof typeof contextKeys)[];

/** The context keys' values, read and checked. */
export type ContextValues = SettingValues<typeof contextKeys>;
