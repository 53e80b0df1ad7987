import { runBambooHrBenchmark } from "./bamboohr-benchmark.ts";
import type { BenchOptions, BenchSizes } from "./bench-options.ts";
import { measureColdStart } from "./cold-start.ts";
import { runDegraded } from "./degraded-benchmark.ts";
import { type DrainResult, type DrainSettings, runDrain } from "./drain-benchmark.ts";
import { withRefCheckedOut } from "./git-ref.ts";
import { printLedgerOutage, runLedgerOutage } from "./ledger-outage-benchmark.ts";
import { type OutageResult, runOutage } from "./outage-benchmark.ts";
import { printOutcomes, runOutcomesBenchmark } from "./outcomes-benchmark.ts";
import { runReconcileBenchmark } from "./reconcile-benchmark.ts";
import {
  printBambooHr,
  printColdStart,
  printDrains,
  printOutages,
  printReconcile,
  printWebhook,
} from "./report.ts";
import { type RevokeResult, runRevoke } from "./revoke-benchmark.ts";
import { compareRevoke } from "./revoke-comparison.ts";
import { printDegraded, printRevoke } from "./revoke-report.ts";
import { runWebhookBenchmark } from "./webhook-benchmark.ts";
import { massOffboarding, mixed, type Workload } from "./workload.ts";

/** Each section of `npm run bench`: it runs its benchmark, then prints its table. */
export interface BenchRun {
  options: BenchOptions;
  sizes: BenchSizes;
  settings: DrainSettings;
}

/** The drain settings every section starts from, as the options give them. */
export function drainSettings(options: BenchOptions): DrainSettings {
  return {
    latencyMs: options.latency,
    rateLimit: options.rateLimit,
    concurrency: options.concurrency,
    env: {},
    drainTimeoutMs: 15 * 60_000,
  };
}

export async function benchDrains({ sizes, settings }: BenchRun): Promise<void> {
  const runs: [Workload, DrainSettings][] = [
    [massOffboarding(sizes.people), settings],
    [mixed(sizes.mixedEvents, sizes.mixedPeople), settings],
    // The throughput ratio without a rate limit, which would cap the comparison rather
    // than measure it: at the set concurrency, where locally every invocation shares one
    // Node thread, and one invocation at a time, which has a thread to itself as each
    // Lambda execution environment has.
    [massOffboarding(sizes.ratioPeople), { ...settings, rateLimit: undefined }],
    [massOffboarding(sizes.ratioPeople), { ...settings, concurrency: 1, rateLimit: undefined }],
  ];
  const drains: DrainResult[] = [];
  for (const [workload, drainSettings] of runs) {
    for (const consumer of ["product", "baseline"] as const) {
      process.stdout.write(
        `draining ${workload.name} (${consumer}, ${drainSettings.concurrency} at once)…\n`,
      );
      drains.push(await runDrain(workload, consumer, drainSettings));
    }
  }
  printDrains(drains, settings.latencyMs);
}

export async function benchOutcomes({ sizes, settings }: BenchRun): Promise<void> {
  printOutcomes(await runOutcomesBenchmark(sizes.people, settings));
}

export async function benchOutages({ sizes, settings }: BenchRun): Promise<void> {
  const outages: OutageResult[] = [];
  for (const down of ["osis", "account-platform"] as const) {
    process.stdout.write(`outage of ${down} (${sizes.outageSeconds} s)…\n`);
    outages.push(
      await runOutage({
        down,
        outageMs: sizes.outageSeconds * 1000,
        offboards: sizes.outageOffboards,
        latencyMs: settings.latencyMs,
        concurrency: settings.concurrency,
      }),
    );
  }
  printOutages(outages);
}

export async function benchLedgerOutage({ sizes, settings }: BenchRun): Promise<void> {
  process.stdout.write(`outage of the ledger (${sizes.ledgerOutageSeconds} s)…\n`);
  const result = await runLedgerOutage({
    mode: "throttle",
    outageMs: sizes.ledgerOutageSeconds * 1000,
    offboards: sizes.ledgerOutageOffboards,
    latencyMs: settings.latencyMs,
    concurrency: settings.concurrency,
  });
  printLedgerOutage([result]);
}

export async function benchColdStart({ options, sizes }: BenchRun): Promise<void> {
  printColdStart(await measureColdStart(sizes.importRuns, options.compare ?? options.compareRef));
}

export async function benchRevoke({ options, sizes, settings }: BenchRun): Promise<void> {
  const revoke = {
    rate: options.revokeRate,
    seconds: sizes.revokeSeconds,
    burst: sizes.revokeBurst,
    latencyMs: settings.latencyMs,
    rateLimit: options.rateLimit,
    concurrency: settings.concurrency,
  };
  const compare = options.compare ?? options.compareRef;
  const progress = (line: string) => process.stdout.write(line);
  if (compare === undefined) progress("time to revoke (working tree)…\n");
  const results: RevokeResult[] =
    compare === undefined
      ? [await runRevoke(revoke)]
      : await withRefCheckedOut(compare, (root) =>
          compareRevoke(revoke, { label: compare, root }, options.revokeRounds, progress),
        );
  printRevoke(results);
}

export async function benchDegraded({ options, sizes, settings }: BenchRun): Promise<void> {
  process.stdout.write(`a platform degrades (${sizes.degradedPeople} people)…\n`);
  printDegraded(
    await runDegraded({
      people: sizes.degradedPeople,
      events: sizes.degradedPeople * 3,
      faultRate: options.degradedFaultRate,
      stallMs: 12_000,
      latencyMs: settings.latencyMs,
      rateLimit: options.rateLimit,
      concurrency: settings.concurrency,
      tuning: {},
    }),
  );
}

export async function benchWebhook({ options, sizes }: BenchRun): Promise<void> {
  printWebhook(
    await runWebhookBenchmark({
      requests: sizes.webhookRequests,
      concurrency: options.webhookConcurrency,
    }),
  );
}

export async function benchBambooHr({ options, sizes }: BenchRun): Promise<void> {
  printBambooHr(
    await runBambooHrBenchmark({
      deliveries: sizes.bamboohrDeliveries,
      employees: options.bamboohrEmployees,
    }),
  );
}

export async function benchReconcile({ options, sizes }: BenchRun): Promise<void> {
  process.stdout.write(`reconciling ${sizes.reconcilePeople} people…\n`);
  printReconcile(
    await runReconcileBenchmark({
      people: sizes.reconcilePeople,
      rateLimit: options.reconcileRate,
      runSeconds: options.reconcileRunSeconds,
    }),
  );
}
