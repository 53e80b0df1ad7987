import {
  ACCOUNT_PLATFORM_TENANT_ID,
  DLQ_URL,
  LEDGER_TABLE,
  OSIS_CD_TENANT_ID,
  OSIS_CD_TENANT_IDS,
  OSIS_CREDENTIALS,
  PROTECTED_ACCOUNTS,
  QUEUE_URL,
} from "../../contract/setting-names.ts";
import { SOURCE_QUEUE } from "../../contract/source-queue.ts";
import {
  bambooHrFields,
  bambooHrSettingsOf,
  checkBambooHrTargets,
} from "../configuration/bamboohr-settings.ts";
import { outcomeFields, outcomeSettingsOf } from "../configuration/outcome-settings.ts";
import { osisCredentials, platformFields } from "../configuration/platform-fields.ts";
import {
  type CrossCheck,
  readSettings,
  type SettingValues,
} from "../configuration/read-settings.ts";
import {
  type Environment,
  fifoQueueUrl,
  list,
  maxFutureSeconds,
  maxScheduleDays,
  onOff,
  platformTimeoutMs,
  text,
  wholeNumber,
} from "../configuration/setting-fields.ts";
import type { GuardSettings } from "../guard/guard-settings.ts";

export type { Environment } from "../configuration/setting-fields.ts";

/** SQS allows a visibility timeout of at most 12 hours. */
export const MAX_VISIBILITY_SECONDS = 43_200;

/**
 * The consumer's environment: every variable, its rule and its default, documented in
 * README.md#consumer-configuration. A new setting is one line here and one in the config below.
 */
const consumerVariables = {
  [QUEUE_URL]: fifoQueueUrl,
  [DLQ_URL]: fifoQueueUrl,
  [LEDGER_TABLE]: text,
  ...platformFields,
  [ACCOUNT_PLATFORM_TENANT_ID]: text,
  [OSIS_CD_TENANT_ID]: text,
  [OSIS_CD_TENANT_IDS]: list,
  [OSIS_CREDENTIALS]: osisCredentials,
  [PROTECTED_ACCOUNTS]: list,
  CONSUMER_GROUP_CONCURRENCY: wholeNumber(10, 1, 10),
  CONSUMER_MAX_ATTEMPTS: wholeNumber(5, 1, 100),
  CONSUMER_BACKOFF_BASE_SECONDS: wholeNumber(5, 0, 3_600),
  CONSUMER_BACKOFF_CAP_SECONDS: wholeNumber(300, 0, MAX_VISIBILITY_SECONDS),
  CONSUMER_VERSION_CONFLICT_RETRIES: wholeNumber(3, 0, 10),
  CONSUMER_PLATFORM_TIMEOUT_MS: platformTimeoutMs,
  CONSUMER_DEADLINE_MARGIN_MS: wholeNumber(10_000, 0, 600_000),
  CONSUMER_CLAIM_TTL_SECONDS: wholeNumber(900, 5, 3_600),
  CONSUMER_HISTORY_SIZE: wholeNumber(20, 1, 200),
  CONSUMER_HISTORY_RETENTION_DAYS: wholeNumber(90, 1, 3_650),
  // At most 1000: a window's item holds one 32-character slot per offboard (DynamoDB: 400 KB).
  CONSUMER_GUARD_THRESHOLD: wholeNumber(50, 0, 1_000),
  CONSUMER_GUARD_WINDOW_SECONDS: wholeNumber(3_600, 0, 604_800),
  CONSUMER_GUARD_ONBOARD_THRESHOLD: wholeNumber(50, 0, 1_000),
  // Ten, not five: a platform failing a share of calls at random (bench "degraded") reached
  // five outage signs in a row with no outage, and every record then waited out the breaker.
  CONSUMER_BREAKER_FAILURES: wholeNumber(10, 1, 1_000),
  CONSUMER_BREAKER_PROBE_SECONDS: wholeNumber(5, 1, 300),
  CONSUMER_OUTAGE_WAIT_SECONDS: wholeNumber(30, 1, 900),
  CONSUMER_OUTAGE_PATIENCE_SECONDS: wholeNumber(21_600, 1, SOURCE_QUEUE.retentionSeconds),
  // Below the source queue's visibility timeout (6 minutes by default): a crashed
  // invocation's records come back only after it, so a doubt it never wrote is over by then.
  CONSUMER_OSIS_LATE_WRITE_SECONDS: wholeNumber(30, 1, 300),
  DRY_RUN: onOff,
  LIFECYCLE_MAX_FUTURE_SECONDS: maxFutureSeconds,
  LIFECYCLE_MAX_SCHEDULE_DAYS: maxScheduleDays,
  // A BambooHR signal is read back and mapped here, by the webhook's own settings.
  ...bambooHrFields,
  ...outcomeFields,
};

/** The consumer's checks across settings. */
const consumerChecks: CrossCheck<typeof consumerVariables>[] = [
  checkBambooHrTargets,
  ({ CONSUMER_BACKOFF_BASE_SECONDS: base, CONSUMER_BACKOFF_CAP_SECONDS: cap }) =>
    base !== undefined && cap !== undefined && cap < base
      ? [
          {
            setting: "CONSUMER_BACKOFF_CAP_SECONDS",
            message: `(${cap}) must not be below CONSUMER_BACKOFF_BASE_SECONDS (${base})`,
          },
        ]
      : [],
  ({ CONSUMER_OUTAGE_PATIENCE_SECONDS: patience, CONSUMER_OUTAGE_WAIT_SECONDS: wait }) =>
    patience === undefined || wait === undefined
      ? []
      : outageProblems(patience, wait).map((message) => ({
          setting: "CONSUMER_OUTAGE_PATIENCE_SECONDS",
          message,
        })),
  ({ OSIS_CD_TENANT_IDS: tenants, OSIS_CD_TENANT_ID: own }) =>
    tenants !== undefined && tenants.length > 0 && own !== undefined && !tenants.includes(own)
      ? [
          {
            setting: "OSIS_CD_TENANT_IDS",
            message: `must list OSIS_CD_TENANT_ID (${own}), the cd tenant of events that name none`,
          },
        ]
      : [],
];

function consumerConfigOf(env: SettingValues<typeof consumerVariables>) {
  return {
    queueUrl: env.QUEUE_URL,
    dlqUrl: env.DLQ_URL,
    ledgerTable: env.LEDGER_TABLE,
    accountPlatform: {
      /** The datacenter URL, a trailing `/api/2` stripped. */
      url: env.ACCOUNT_PLATFORM_URL,
      /** Tenant for lookups; targets outside it are refused. */
      tenantId: env.ACCOUNT_PLATFORM_TENANT_ID,
      /** Only the deployed wiring reads a secret; the local stack gives static credentials. */
      secretId: env.ACCOUNT_PLATFORM_SECRET_ID,
    },
    osis: {
      url: env.OSIS_URL,
      basePath: env.OSIS_BASE_PATH,
      cdTenantId: env.OSIS_CD_TENANT_ID,
      /** The cd tenants whose users may be changed; others → `outside_tenant`. */
      cdTenantIds: osisCdTenants(env.OSIS_CD_TENANT_IDS, env.OSIS_CD_TENANT_ID),
      secretId: env.OSIS_SECRET_ID,
      /** What an offboard and a rehire do to the user's S3 keys (docs/consumer.md, "S3 keys"). */
      credentials: env.OSIS_CREDENTIALS,
    },
    protectedAccounts: protectedAccountSet(env.PROTECTED_ACCOUNTS),
    /** Message groups processed at once inside one invocation. */
    groupConcurrency: env.CONSUMER_GROUP_CONCURRENCY,
    /** Real attempts at one event before it goes to the DLQ as `retries_exhausted`. */
    maxAttempts: env.CONSUMER_MAX_ATTEMPTS,
    backoff: {
      baseSeconds: env.CONSUMER_BACKOFF_BASE_SECONDS,
      capSeconds: env.CONSUMER_BACKOFF_CAP_SECONDS,
    },
    /** Re-reads and retries of an account-platform PUT after a version conflict. */
    versionConflictRetries: env.CONSUMER_VERSION_CONFLICT_RETRIES,
    /** Per HTTP attempt to a platform. */
    platformTimeoutMs: env.CONSUMER_PLATFORM_TIMEOUT_MS,
    /** Records not started when less than this remains of the invocation are reported untried. */
    deadlineMarginMs: env.CONSUMER_DEADLINE_MARGIN_MS,
    /** Longest a ledger claim lives; a claim is never kept past its invocation's deadline. */
    claimTtlSeconds: env.CONSUMER_CLAIM_TTL_SECONDS,
    /** History entries kept per person (newest first). */
    historySize: env.CONSUMER_HISTORY_SIZE,
    /** History entries older than this are dropped at the person's next write. */
    historyRetentionDays: env.CONSUMER_HISTORY_RETENTION_DAYS,
    /**
     * The mass-offboarding guard (README.md#safety-rails), counting offboards and, apart,
     * onboards that would enable someone; a threshold of 0 turns its count off, a window of 0
     * the whole guard.
     */
    guard: {
      threshold: env.CONSUMER_GUARD_THRESHOLD,
      windowSeconds: env.CONSUMER_GUARD_WINDOW_SECONDS,
      onboardThreshold: env.CONSUMER_GUARD_ONBOARD_THRESHOLD,
    } satisfies GuardSettings,
    /** The circuit breakers and what waiting for a platform means (README, "A platform is down"). */
    outage: {
      /** Consecutive outage signs (5xx, timeouts, connection errors) that open a breaker. */
      breakerFailures: env.CONSUMER_BREAKER_FAILURES,
      /** While open, at most one call to the platform this often (the probe). */
      probeIntervalSeconds: env.CONSUMER_BREAKER_PROBE_SECONDS,
      /** Visibility of a record waiting for an open breaker (jittered down by up to a fifth). */
      waitSeconds: env.CONSUMER_OUTAGE_WAIT_SECONDS,
      /** Queued longer than this, a waiting record goes to the DLQ (`platform_unavailable`). */
      patienceSeconds: env.CONSUMER_OUTAGE_PATIENCE_SECONDS,
    },
    /**
     * How long after the consumer stopped waiting for an unanswered OSIS write it may still
     * land; until then the person's OSIS target waits to be set the other way (late-write-rules.ts).
     */
    osisLateWriteSeconds: env.CONSUMER_OSIS_LATE_WRITE_SECONDS,
    dryRun: env.DRY_RUN,
    /** How far ahead of now an event's `time` may be; further → `invalid_event`. */
    maxFutureSeconds: env.LIFECYCLE_MAX_FUTURE_SECONDS,
    /** The furthest `data.effectiveAt` accepted, in days (docs/consumer.md#scheduled-changes). */
    maxScheduleDays: env.LIFECYCLE_MAX_SCHEDULE_DAYS,
    /** BambooHR's API and field mapping, for reading back BambooHR signals. */
    bamboohr: bambooHrSettingsOf(env),
    /** The outcome bus (docs/outcomes.md); undefined: publishing is off. */
    outcomes: outcomeSettingsOf(env),
  };
}

/** The consumer's settings, read once at cold start: a bad one fails the cold start. */
export type ConsumerConfig = ReturnType<typeof consumerConfigOf>;

/** Validates everything and reports every problem at once. */
export function loadConsumerConfig(env: Environment): ConsumerConfig {
  const summary = "The consumer's configuration is not usable";
  return consumerConfigOf(
    readSettings(consumerVariables, env, summary, { checks: consumerChecks }),
  );
}

/**
 * A record that waits for a platform must reach the DLQ with `platform_unavailable` before the
 * source queue gives up on it: SQS deletes it at the retention, and moves it to the DLQ without
 * a reason past the receive count (each return of a waiting record is a receive).
 */
function outageProblems(patience: number, wait: number): string[] {
  const problems: string[] = [];
  if (patience + wait >= SOURCE_QUEUE.retentionSeconds) {
    problems.push(
      `(${patience}) plus CONSUMER_OUTAGE_WAIT_SECONDS (${wait}) must stay below the source queue's retention (${SOURCE_QUEUE.retentionSeconds} s)`,
    );
  }
  const receives = Math.ceil(patience / (wait * 0.8));
  const budget = SOURCE_QUEUE.maxReceiveCount - SOURCE_QUEUE.receivesForOtherCauses;
  if (receives > budget) {
    problems.push(
      `(${patience}) needs up to ${receives} receives of a waiting record at CONSUMER_OUTAGE_WAIT_SECONDS (${wait}); the source queue allows ${budget}: raise CONSUMER_OUTAGE_WAIT_SECONDS or lower CONSUMER_OUTAGE_PATIENCE_SECONDS`,
    );
  }
  return problems;
}

/** Logins and user ids never disabled, lower-cased (logins compare case-insensitively). */
export function protectedAccountSet(entries: readonly string[]): ReadonlySet<string> {
  return new Set(entries.map((entry) => entry.toLowerCase()));
}

/** OSIS_CD_TENANT_IDS as given, else OSIS_CD_TENANT_ID alone. */
export function osisCdTenants(listed: readonly string[], own: string): ReadonlySet<string> {
  return new Set(listed.length > 0 ? listed : [own]);
}
