import type { SQSClient } from "@aws-sdk/client-sqs";
import type { LedgerReader } from "../ledger/person-record.ts";
import type { Logger } from "../logging/logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import type { AccountPlatform } from "../platforms/account-platform/account-platform.ts";
import type { OsisPlatform } from "../platforms/osis/osis.ts";
import { reconcileDrift } from "./reconcile-drift.ts";
import { sendCorrectiveEvents } from "./send-corrective-events.ts";

/** The metric the stack alarms on (> 0): people whose platforms differ from the ledger. */
export const DRIFTED_PEOPLE_METRIC = "DriftedPeople";
/** Platform reads that failed (an outage is not drift, but it hides drift: worth watching). */
export const RECONCILE_ERRORS_METRIC = "ReconcileErrors";

export interface ScheduledReconcileDependencies {
  ledger: LedgerReader;
  accountPlatform: AccountPlatform;
  osis: OsisPlatform;
  logger: Logger;
  metrics: Metrics;
  concurrency: number;
  ratePerSecond: number;
  /** With a queue: enqueue corrective events too; without: report only. */
  apply?: { sqs: SQSClient; queueUrl: string } | undefined;
  now?: () => number;
}

export interface ScheduledReconcileSummary {
  checked: number;
  driftedPeople: number;
  driftRows: number;
  errors: number;
  skipped: number;
  correctiveEventsSent: number;
}

/**
 * One scheduled run: reconcile everyone, log each drifted person and each failed read, count
 * them as metrics, and (only when configured to apply) enqueue corrective events.
 */
export async function runScheduledReconcile(
  deps: ScheduledReconcileDependencies,
  signal?: AbortSignal,
): Promise<ScheduledReconcileSummary> {
  const report = await reconcileDrift({
    ledger: deps.ledger,
    accountPlatform: deps.accountPlatform,
    osis: deps.osis,
    concurrency: deps.concurrency,
    ratePerSecond: deps.ratePerSecond,
    signal,
    ...(deps.now ? { now: deps.now } : {}),
  });
  for (const row of report.drift) {
    deps.logger.warn("Drift: a platform differs from the ledger", { ...row });
  }
  for (const error of report.errors) {
    deps.logger.error("Could not read a person's state: not judged for drift", { ...error });
  }
  let sent = 0;
  if (deps.apply !== undefined && report.drifted.length > 0) {
    const corrective = await sendCorrectiveEvents({
      sqs: deps.apply.sqs,
      queueUrl: deps.apply.queueUrl,
      people: report.drifted,
      now: deps.now,
      signal,
    });
    sent = corrective.sent.length;
    for (const item of corrective.sent) deps.logger.info("Corrective event sent", { ...item });
    for (const failed of corrective.failed) {
      deps.logger.error("Could not send a corrective event", { ...failed });
    }
  }
  deps.metrics.count(DRIFTED_PEOPLE_METRIC, {}, report.drifted.length);
  deps.metrics.count(RECONCILE_ERRORS_METRIC, {}, report.errors.length);
  const summary: ScheduledReconcileSummary = {
    checked: report.checked,
    driftedPeople: report.drifted.length,
    driftRows: report.drift.length,
    errors: report.errors.length,
    skipped: report.skipped.length,
    correctiveEventsSent: sent,
  };
  deps.logger.info("Reconciliation finished", { ...summary });
  return summary;
}
