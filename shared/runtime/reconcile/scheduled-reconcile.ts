import { randomUUID } from "node:crypto";
import type { SQSClient } from "@aws-sdk/client-sqs";
import {
  DRIFTED_PEOPLE_METRIC,
  RECONCILE_ERRORS_METRIC,
  RECONCILE_PASS_AGE_METRIC,
} from "../../contract/metrics.ts";
import type { PeoplePages } from "../ledger/person-record.ts";
import type { Logger } from "../logging/logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import { FixedPace } from "../pace/fixed-pace.ts";
import type { AccountPlatform } from "../platforms/account-platform/account-platform.ts";
import type { OsisPlatform } from "../platforms/osis/osis.ts";
import { OsisDirectory } from "./osis-directory.ts";
import { type ReconcileReport, reconcileDrift } from "./reconcile-drift.ts";
import {
  afterPage,
  type CurrentPass,
  type FinishedPass,
  finishPass,
  type PassCounts,
  passAgeSeconds,
  planRun,
  type RunTrigger,
} from "./reconcile-pass.ts";
import type { ReconcilePassStore } from "./reconcile-pass-store.ts";
import { sendCorrectiveEvents } from "./send-corrective-events.ts";

export interface ScheduledReconcileDependencies {
  ledger: PeoplePages;
  passes: Pick<ReconcilePassStore, "read" | "takeLease" | "save" | "release">;
  accountPlatform: AccountPlatform;
  osis: OsisPlatform;
  logger: Logger;
  metrics: Metrics;
  concurrency: number;
  ratePerSecond: number;
  /** Ledger items per page: a run records its progress after each page. */
  pageSize: number;
  /** Pages one run walks at most (0: as many as its time allows). */
  maxPagesPerRun: number;
  /** With a queue: enqueue corrective events too; without: report only. */
  apply?: { sqs: SQSClient; queueUrl: string } | undefined;
  /** `OSIS_CREDENTIALS` (default `deactivate`): a leaver's active S3 key is drift. */
  osisCredentials?: "deactivate" | "ignore" | undefined;
  now?: () => number;
}

export interface ScheduledReconcileSummary {
  /** What this run did with the pass: `busy` when another run holds it. */
  run: "started" | "continued" | "finished" | "idle" | "busy";
  /** This run's own counts (its completed pages). */
  checked: number;
  driftedPeople: number;
  driftRows: number;
  errors: number;
  skipped: number;
  correctiveEventsSent: number;
  /** The pass still under way after this run, and the last finished one. */
  pass?: CurrentPass | undefined;
  lastPass?: FinishedPass | undefined;
}

/**
 * One scheduled run (docs/architecture.md, "Reconciliation passes"): take the pass where the
 * last run left it, walk the ledger a page at a time (each page: read, judge, log, count,
 * corrective events when configured, then the cursor recorded), and stop at the deadline; the
 * next run carries on from the cursor until the pass has seen everyone. A page cut short by the
 * deadline is not recorded, so the next run walks it again: nobody is skipped.
 */
export async function runScheduledReconcile(
  deps: ScheduledReconcileDependencies,
  options: { trigger: RunTrigger; deadline: number; signal?: AbortSignal | undefined },
): Promise<ScheduledReconcileSummary> {
  const now = deps.now ?? Date.now;
  const { signal } = options;
  const stored = await deps.passes.read(signal);
  const plan = planRun(stored, options.trigger, now());
  const runId = randomUUID();
  const summary = emptySummary(plan.action === "idle" ? "idle" : "busy", stored);
  if (plan.action === "idle") return published(deps, summary, stored, now());
  if (!(await deps.passes.takeLease(runId, now(), options.deadline))) {
    deps.logger.info("Another reconciliation run holds the pass; this one stops");
    return published(deps, summary, stored, now());
  }

  let pass: CurrentPass | undefined = plan.pass;
  let last = stored.last;
  summary.run = plan.action === "start" ? "started" : "continued";
  try {
    if (!(await deps.passes.save(runId, { current: pass, last }))) return summary;
    const pace = new FixedPace({ perSecond: deps.ratePerSecond });
    const osisDirectory = new OsisDirectory(deps.osis, pace);
    for (let pages = 0; deps.maxPagesPerRun === 0 || pages < deps.maxPagesPerRun; pages += 1) {
      const walked: CurrentPass = pass;
      const page = await untilDeadline(
        () => deps.ledger.listPeoplePage(walked.cursor, deps.pageSize, signal),
        signal,
      );
      if (page === undefined) break;
      const report = await reconcileDrift({
        accountPlatform: deps.accountPlatform,
        osis: deps.osis,
        concurrency: deps.concurrency,
        people: page.people,
        osisDirectory,
        pace,
        signal,
        osisCredentials: deps.osisCredentials,
      });
      if (signal?.aborted) break;
      const counts = await reportPage(deps, report, summary, signal);
      pass = afterPage(walked, counts, page.next, now());
      if (page.next === undefined) {
        last = finishPass(pass, now());
        pass = undefined;
        summary.run = "finished";
        deps.logger.info("Reconciliation pass finished", { ...last });
      }
      if (!(await deps.passes.save(runId, { current: pass, last }))) break;
      if (pass === undefined) break;
    }
  } finally {
    await deps.passes.release(runId).catch(() => false);
  }
  summary.pass = pass;
  summary.lastPass = last;
  return published(deps, summary, { current: pass, last }, now());
}

/** A page's results: logged, corrective events sent if configured, added to the summary. */
async function reportPage(
  deps: ScheduledReconcileDependencies,
  report: ReconcileReport,
  summary: ScheduledReconcileSummary,
  signal: AbortSignal | undefined,
): Promise<PassCounts> {
  for (const row of report.drift) {
    deps.logger.warn("Drift: a platform differs from the ledger", { ...row });
  }
  for (const error of report.errors) {
    deps.logger.error("Could not read a person's state: not judged for drift", { ...error });
  }
  if (deps.apply !== undefined && report.drifted.length > 0) {
    const corrective = await sendCorrectiveEvents({
      sqs: deps.apply.sqs,
      queueUrl: deps.apply.queueUrl,
      people: report.drifted,
      now: deps.now,
      signal,
    });
    summary.correctiveEventsSent += corrective.sent.length;
    for (const item of corrective.sent) deps.logger.info("Corrective event sent", { ...item });
    for (const failed of corrective.failed) {
      deps.logger.error("Could not send a corrective event", { ...failed });
    }
  }
  const counts: PassCounts = {
    checked: report.checked,
    drifted: report.drifted.length,
    errors: report.errors.length,
    skipped: report.skipped.length,
  };
  summary.checked += counts.checked;
  summary.driftedPeople += counts.drifted;
  summary.driftRows += report.drift.length;
  summary.errors += counts.errors;
  summary.skipped += counts.skipped;
  return counts;
}

/** The run's metrics and its closing log line. */
function published(
  deps: ScheduledReconcileDependencies,
  summary: ScheduledReconcileSummary,
  state: { current?: CurrentPass | undefined; last?: FinishedPass | undefined },
  now: number,
): ScheduledReconcileSummary {
  deps.metrics.count(DRIFTED_PEOPLE_METRIC, {}, summary.driftedPeople);
  deps.metrics.count(RECONCILE_ERRORS_METRIC, {}, summary.errors);
  deps.metrics.seconds(RECONCILE_PASS_AGE_METRIC, passAgeSeconds(state, now));
  const { pass, lastPass, ...counts } = summary;
  // A continuation with nothing to carry on is the common case: not worth an info line.
  const log = summary.run === "idle" ? deps.logger.debug : deps.logger.info;
  log.call(deps.logger, "Reconciliation run finished", {
    ...counts,
    ...(pass
      ? { passStartedAt: new Date(pass.startedAt).toISOString(), passChecked: pass.checked }
      : {}),
  });
  return summary;
}

function emptySummary(
  run: ScheduledReconcileSummary["run"],
  stored: { current?: CurrentPass | undefined; last?: FinishedPass | undefined },
): ScheduledReconcileSummary {
  return {
    run,
    checked: 0,
    driftedPeople: 0,
    driftRows: 0,
    errors: 0,
    skipped: 0,
    correctiveEventsSent: 0,
    pass: stored.current,
    lastPass: stored.last,
  };
}

/** The value, or `undefined` when the deadline cut the call short (any other failure throws). */
async function untilDeadline<T>(
  call: () => Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T | undefined> {
  if (signal?.aborted) return undefined;
  try {
    return await call();
  } catch (error) {
    if (signal?.aborted) return undefined;
    throw error;
  }
}
