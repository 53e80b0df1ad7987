import { ConfigurationError } from "../errors/configuration-error.ts";
import type { GuardSettings } from "../guard/guard-settings.ts";
import { parseHttpUrl } from "../http/http-url.ts";
import { normalizeDatacenterUrl } from "../platforms/account-platform/datacenter-url.ts";
import { DEFAULT_OSIS_BASE_PATH } from "../platforms/osis/osis-base-url.ts";
import { type Environment, type IntegerSetting, readEnvironment } from "./environment-reader.ts";

/**
 * The consumer's settings, read once at cold start from environment variables. Every variable
 * is documented in README.md#consumer-configuration (the README's table). A bad configuration fails the
 * cold start with one error naming every missing or bad variable, never at the first event.
 */
export interface ConsumerConfig {
  queueUrl: string;
  dlqUrl: string;
  ledgerTable: string;
  accountPlatform: {
    /** The datacenter URL, a trailing `/api/2` stripped. */
    url: string;
    tenantId: string;
    /** Only the deployed wiring reads a secret; the local stack gives static credentials. */
    secretId: string | undefined;
  };
  osis: {
    url: string;
    basePath: string;
    cdTenantId: string;
    secretId: string | undefined;
  };
  /** Logins and user ids never disabled, lower-cased (logins compare case-insensitively). */
  protectedAccounts: ReadonlySet<string>;
  /** Message groups processed at once inside one invocation. */
  groupConcurrency: number;
  /** Real attempts at one event before it goes to the DLQ as `retries_exhausted`. */
  maxAttempts: number;
  backoff: { baseSeconds: number; capSeconds: number };
  /** Re-reads and retries of an account-platform PUT after a version conflict. */
  versionConflictRetries: number;
  /** Per HTTP attempt to a platform. */
  platformTimeoutMs: number;
  /** Records not started when less than this remains of the invocation are reported untried. */
  deadlineMarginMs: number;
  /** Longest a ledger claim lives; a claim is never kept past its invocation's deadline. */
  claimTtlSeconds: number;
  /** History entries kept per person (newest first). */
  historySize: number;
  /** History entries older than this are dropped at the person's next write. */
  historyRetentionDays: number;
  /** The mass-offboarding guard (README.md#safety-rails); a threshold or window of 0 disables it. */
  guard: GuardSettings;
  dryRun: boolean;
}

export type { Environment } from "./environment-reader.ts";

/** SQS allows a visibility timeout of at most 12 hours. */
export const MAX_VISIBILITY_SECONDS = 43_200;

export const CONSUMER_TUNING = {
  groupConcurrency: { name: "CONSUMER_GROUP_CONCURRENCY", fallback: 10, min: 1, max: 10 },
  maxAttempts: { name: "CONSUMER_MAX_ATTEMPTS", fallback: 5, min: 1, max: 100 },
  backoffBaseSeconds: { name: "CONSUMER_BACKOFF_BASE_SECONDS", fallback: 5, min: 0, max: 3_600 },
  backoffCapSeconds: {
    name: "CONSUMER_BACKOFF_CAP_SECONDS",
    fallback: 300,
    min: 0,
    max: MAX_VISIBILITY_SECONDS,
  },
  versionConflictRetries: {
    name: "CONSUMER_VERSION_CONFLICT_RETRIES",
    fallback: 3,
    min: 0,
    max: 10,
  },
  platformTimeoutMs: {
    name: "CONSUMER_PLATFORM_TIMEOUT_MS",
    fallback: 5_000,
    min: 100,
    max: 60_000,
  },
  deadlineMarginMs: {
    name: "CONSUMER_DEADLINE_MARGIN_MS",
    fallback: 10_000,
    min: 0,
    max: 600_000,
  },
  claimTtlSeconds: { name: "CONSUMER_CLAIM_TTL_SECONDS", fallback: 900, min: 5, max: 3_600 },
  historySize: { name: "CONSUMER_HISTORY_SIZE", fallback: 20, min: 1, max: 200 },
  historyRetentionDays: {
    name: "CONSUMER_HISTORY_RETENTION_DAYS",
    fallback: 90,
    min: 1,
    max: 3_650,
  },
  // At most 1000: a window's item holds one 32-character slot per offboard (DynamoDB: 400 KB).
  guardThreshold: { name: "CONSUMER_GUARD_THRESHOLD", fallback: 50, min: 0, max: 1_000 },
  guardWindowSeconds: {
    name: "CONSUMER_GUARD_WINDOW_SECONDS",
    fallback: 3_600,
    min: 0,
    max: 604_800,
  },
} as const satisfies Record<string, IntegerSetting>;

/** Validates everything and reports every problem at once. */
export function loadConsumerConfig(env: Environment): ConsumerConfig {
  const { problems, required, optional, integer, boolean, normalized } = readEnvironment(env);
  const fifoQueueUrl = (name: string): string => {
    const value = required(name);
    if (value === "") return value;
    if (!URL.canParse(value)) problems.push(`${name} must be a queue URL`);
    else if (!value.endsWith(".fifo")) problems.push(`${name} must name a FIFO queue (.fifo)`);
    return value;
  };

  const queueUrl = fifoQueueUrl("QUEUE_URL");
  const dlqUrl = fifoQueueUrl("DLQ_URL");
  const ledgerTable = required("LEDGER_TABLE");
  const accountPlatformUrl = normalized("ACCOUNT_PLATFORM_URL", (raw) =>
    normalizeDatacenterUrl(raw),
  );
  const accountPlatformTenantId = required("ACCOUNT_PLATFORM_TENANT_ID");
  const osisUrl = normalized("OSIS_URL", (raw) => parseHttpUrl(raw, "OSIS_URL").origin);
  const osisBasePath = optional("OSIS_BASE_PATH") ?? DEFAULT_OSIS_BASE_PATH;
  if (!osisBasePath.startsWith("/")) problems.push(`OSIS_BASE_PATH must start with "/"`);
  const osisCdTenantId = required("OSIS_CD_TENANT_ID");

  const backoffBaseSeconds = integer(CONSUMER_TUNING.backoffBaseSeconds);
  const backoffCapSeconds = integer(CONSUMER_TUNING.backoffCapSeconds);
  if (backoffCapSeconds < backoffBaseSeconds) {
    problems.push(
      `${CONSUMER_TUNING.backoffCapSeconds.name} (${backoffCapSeconds}) must not be below ${CONSUMER_TUNING.backoffBaseSeconds.name} (${backoffBaseSeconds})`,
    );
  }

  const dryRun = boolean("DRY_RUN");

  const config: ConsumerConfig = {
    queueUrl,
    dlqUrl,
    ledgerTable,
    accountPlatform: {
      url: accountPlatformUrl,
      tenantId: accountPlatformTenantId,
      secretId: optional("ACCOUNT_PLATFORM_SECRET_ID"),
    },
    osis: {
      url: osisUrl,
      basePath: osisBasePath,
      cdTenantId: osisCdTenantId,
      secretId: optional("OSIS_SECRET_ID"),
    },
    protectedAccounts: parseProtectedAccounts(env.PROTECTED_ACCOUNTS),
    groupConcurrency: integer(CONSUMER_TUNING.groupConcurrency),
    maxAttempts: integer(CONSUMER_TUNING.maxAttempts),
    backoff: { baseSeconds: backoffBaseSeconds, capSeconds: backoffCapSeconds },
    versionConflictRetries: integer(CONSUMER_TUNING.versionConflictRetries),
    platformTimeoutMs: integer(CONSUMER_TUNING.platformTimeoutMs),
    deadlineMarginMs: integer(CONSUMER_TUNING.deadlineMarginMs),
    claimTtlSeconds: integer(CONSUMER_TUNING.claimTtlSeconds),
    historySize: integer(CONSUMER_TUNING.historySize),
    historyRetentionDays: integer(CONSUMER_TUNING.historyRetentionDays),
    guard: {
      threshold: integer(CONSUMER_TUNING.guardThreshold),
      windowSeconds: integer(CONSUMER_TUNING.guardWindowSeconds),
    },
    dryRun,
  };
  if (problems.length > 0) {
    throw new ConfigurationError("The consumer's configuration is not usable", problems);
  }
  return config;
}

/** Comma-separated; blanks ignored; lower-cased, since logins compare case-insensitively. */
export function parseProtectedAccounts(raw: string | undefined): ReadonlySet<string> {
  return new Set(
    (raw ?? "")
      .split(",")
      .map((entry) => entry.trim().toLowerCase())
      .filter((entry) => entry !== ""),
  );
}
