import {
  type Environment,
  type IntegerSetting,
  readEnvironment,
} from "../config/environment-reader.ts";
import { ConfigurationError } from "../errors/configuration-error.ts";
import { parseHttpUrl } from "../http/http-url.ts";
import { normalizeDatacenterUrl } from "../platforms/account-platform/datacenter-url.ts";
import { DEFAULT_OSIS_BASE_PATH } from "../platforms/osis/osis-base-url.ts";

/**
 * The scheduled reconciliation's settings (environment variables, read at cold start; see
 * README.md#safety-rails). Platform reads only need the URLs and the secrets: users are read by
 * the ids the ledger resolved, so no tenant lookup is involved.
 */
export interface ReconcileConfig {
  ledgerTable: string;
  /** Needed only with `apply`. */
  queueUrl: string | undefined;
  accountPlatform: { url: string; secretId: string | undefined };
  osis: { url: string; basePath: string; secretId: string | undefined };
  /** People read at once. */
  concurrency: number;
  /** Platform reads per second at most, both platforms together. */
  ratePerSecond: number;
  /** Per HTTP attempt to a platform. */
  platformTimeoutMs: number;
  /** Enqueue corrective events too (default: report only). */
  apply: boolean;
}

export const RECONCILE_TUNING = {
  concurrency: { name: "RECONCILE_CONCURRENCY", fallback: 4, min: 1, max: 32 },
  ratePerSecond: { name: "RECONCILE_RATE_PER_SECOND", fallback: 10, min: 1, max: 1_000 },
  platformTimeoutMs: {
    name: "RECONCILE_PLATFORM_TIMEOUT_MS",
    fallback: 5_000,
    min: 100,
    max: 60_000,
  },
} as const satisfies Record<string, IntegerSetting>;

export function loadReconcileConfig(env: Environment): ReconcileConfig {
  const { problems, required, optional, integer, boolean, normalized } = readEnvironment(env);

  const apply = boolean("RECONCILE_APPLY");
  const queueUrl = optional("QUEUE_URL");
  if (apply && queueUrl === undefined) problems.push("QUEUE_URL is required with RECONCILE_APPLY");
  const osisBasePath = optional("OSIS_BASE_PATH") ?? DEFAULT_OSIS_BASE_PATH;
  if (!osisBasePath.startsWith("/")) problems.push(`OSIS_BASE_PATH must start with "/"`);

  const config: ReconcileConfig = {
    ledgerTable: required("LEDGER_TABLE"),
    queueUrl,
    accountPlatform: {
      url: normalized("ACCOUNT_PLATFORM_URL", (raw) => normalizeDatacenterUrl(raw)),
      secretId: optional("ACCOUNT_PLATFORM_SECRET_ID"),
    },
    osis: {
      url: normalized("OSIS_URL", (raw) => parseHttpUrl(raw, "OSIS_URL").origin),
      basePath: osisBasePath,
      secretId: optional("OSIS_SECRET_ID"),
    },
    concurrency: integer(RECONCILE_TUNING.concurrency),
    ratePerSecond: integer(RECONCILE_TUNING.ratePerSecond),
    platformTimeoutMs: integer(RECONCILE_TUNING.platformTimeoutMs),
    apply,
  };
  if (problems.length > 0) {
    throw new ConfigurationError("The reconciliation's configuration is not usable", problems);
  }
  return config;
}
