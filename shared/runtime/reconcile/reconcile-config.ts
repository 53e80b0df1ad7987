import { LEDGER_TABLE, OSIS_CREDENTIALS, QUEUE_URL } from "../../contract/setting-names.ts";
import {
  osisCredentials,
  platformFields,
  platformSettingsOf,
} from "../configuration/platform-fields.ts";
import { readSettings, type SettingValues } from "../configuration/read-settings.ts";
import {
  type Environment,
  onOff,
  optionalText,
  platformTimeoutMs,
  text,
  wholeNumber,
} from "../configuration/setting-fields.ts";

/**
 * The scheduled reconciliation's environment (README.md#safety-rails). Platform reads only need
 * the URLs and the secrets: users are read by the ids the ledger resolved, so no tenant lookup
 * is involved. A new setting is one line here and one in the config below.
 */
const reconcileVariables = {
  [LEDGER_TABLE]: text,
  /** Needed only with RECONCILE_APPLY. */
  [QUEUE_URL]: optionalText,
  ...platformFields,
  /** `deactivate` (default): a leaver's active OSIS S3 key is drift; `ignore`: keys are not read. */
  [OSIS_CREDENTIALS]: osisCredentials,
  /** People read at once. */
  RECONCILE_CONCURRENCY: wholeNumber(4, 1, 32),
  /** Platform reads per second at most, both platforms together. */
  RECONCILE_RATE_PER_SECOND: wholeNumber(10, 1, 1_000),
  /** Per HTTP attempt to a platform. */
  RECONCILE_PLATFORM_TIMEOUT_MS: platformTimeoutMs,
  /** Ledger items per page; a run records the pass's cursor after each page. */
  RECONCILE_PAGE_SIZE: wholeNumber(100, 1, 1_000),
  /** Pages one run walks at most; 0: as many as the invocation's time allows. */
  RECONCILE_MAX_PAGES_PER_RUN: wholeNumber(0, 0, 1_000_000),
  /** Enqueue corrective events too (default: report only). */
  RECONCILE_APPLY: onOff,
};

function reconcileConfigOf(env: SettingValues<typeof reconcileVariables>) {
  const platforms = platformSettingsOf(env);
  return {
    ledgerTable: env.LEDGER_TABLE,
    queueUrl: env.QUEUE_URL,
    accountPlatform: platforms.accountPlatform,
    osis: { ...platforms.osis, credentials: env.OSIS_CREDENTIALS },
    concurrency: env.RECONCILE_CONCURRENCY,
    ratePerSecond: env.RECONCILE_RATE_PER_SECOND,
    platformTimeoutMs: env.RECONCILE_PLATFORM_TIMEOUT_MS,
    pageSize: env.RECONCILE_PAGE_SIZE,
    maxPagesPerRun: env.RECONCILE_MAX_PAGES_PER_RUN,
    apply: env.RECONCILE_APPLY,
  };
}

export type ReconcileConfig = ReturnType<typeof reconcileConfigOf>;

export function loadReconcileConfig(env: Environment): ReconcileConfig {
  const summary = "The reconciliation's configuration is not usable";
  const values = readSettings(reconcileVariables, env, summary, {
    checks: [
      ({ RECONCILE_APPLY: apply }, given) =>
        apply === true && !given("QUEUE_URL")
          ? [{ setting: "QUEUE_URL", message: "is required with RECONCILE_APPLY" }]
          : [],
    ],
  });
  return reconcileConfigOf(values);
}
