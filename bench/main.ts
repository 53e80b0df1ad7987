import { Command, Option } from "commander";
import { runBambooHrBenchmark } from "./bamboohr-benchmark.ts";
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

/**
 * `npm run bench [-- options]`: the drain benchmarks (product and baseline), cold start and
 * webhook throughput, printed as tables. Every size has a flag and an environment variable
 * (`--quick` for a run of a few seconds). See docs/performance.md.
 */
const SECTIONS = [
  "drain",
  "outage",
  "ledger-outage",
  "cold-start",
  "webhook",
  "bamboohr",
  "reconcile",
  "revoke",
  "degraded",
  "outcomes",
] as const;

const program = new Command("bench")
  .description("Drain, cold-start and webhook benchmarks on the local stack")
  .addOption(
    new Option("--people <n>", "mass offboarding: people, one event each")
      .env("BENCH_PEOPLE")
      .default(2_000)
      .argParser(Number),
  )
  .addOption(
    new Option("--mixed-events <n>", "mixed: events")
      .env("BENCH_MIXED_EVENTS")
      .default(5_000)
      .argParser(Number),
  )
  .addOption(
    new Option("--mixed-people <n>", "mixed: people")
      .env("BENCH_MIXED_PEOPLE")
      .default(1_000)
      .argParser(Number),
  )
  .addOption(
    new Option("--latency <ms>", "simulator latency per call")
      .env("BENCH_LATENCY_MS")
      .default(20)
      .argParser(Number),
  )
  .addOption(
    new Option("--rate-limit <n>", "calls per second each platform accepts")
      .env("BENCH_RATE_LIMIT")
      .default(200)
      .argParser(Number),
  )
  .addOption(
    new Option("--concurrency <n>", "consumer invocations at once")
      .env("BENCH_CONCURRENCY")
      .default(10)
      .argParser(Number),
  )
  .addOption(
    new Option("--ratio-people <n>", "the ratio runs without a rate limit: people offboarded")
      .env("BENCH_RATIO_PEOPLE")
      .default(500)
      .argParser(Number),
  )
  .addOption(
    new Option("--import-runs <n>", "fresh processes timing each import (consumer, floor, ref)")
      .env("BENCH_IMPORT_RUNS")
      .default(21)
      .argParser(Number),
  )
  .addOption(
    new Option("--webhook-requests <n>", "signed single events posted")
      .env("BENCH_WEBHOOK_REQUESTS")
      .default(2_000)
      .argParser(Number),
  )
  .addOption(
    new Option("--webhook-concurrency <n>", "requests in flight")
      .env("BENCH_WEBHOOK_CONCURRENCY")
      .default(10)
      .argParser(Number),
  )
  .addOption(
    new Option(
      "--compare <ref>",
      "also measure this git ref (e.g. main), side by side: its cold start and time to revoke",
    ).env("BENCH_COMPARE_REF"),
  )
  .addOption(new Option("--compare-ref <ref>", "the former name of --compare").hideHelp())
  .addOption(
    new Option("--outage-seconds <n>", "how long each platform is down in turn (503 to every call)")
      .env("BENCH_OUTAGE_SECONDS")
      .default(60)
      .argParser(Number),
  )
  .addOption(
    new Option("--outage-offboards <n>", "offboards arriving during each outage")
      .env("BENCH_OUTAGE_OFFBOARDS")
      .default(200)
      .argParser(Number),
  )
  .addOption(
    new Option("--ledger-outage-seconds <n>", "how long the ledger (DynamoDB endpoint) is down")
      .env("BENCH_LEDGER_OUTAGE_SECONDS")
      .default(60)
      .argParser(Number),
  )
  .addOption(
    new Option("--ledger-outage-offboards <n>", "offboards arriving during the ledger outage")
      .env("BENCH_LEDGER_OUTAGE_OFFBOARDS")
      .default(20)
      .argParser(Number),
  )
  .addOption(
    new Option("--bamboohr-deliveries <n>", "BambooHR field-based deliveries posted, one at a time")
      .env("BENCH_BAMBOOHR_DELIVERIES")
      .default(10)
      .argParser(Number),
  )
  .addOption(
    new Option("--bamboohr-employees <n>", "employees in each BambooHR delivery (at most 1,000)")
      .env("BENCH_BAMBOOHR_EMPLOYEES")
      .default(1_000)
      .argParser(Number),
  )
  .addOption(
    new Option("--reconcile-people <n>", "reconciliation: people in the ledger, all checked")
      .env("BENCH_RECONCILE_PEOPLE")
      .default(20_000)
      .argParser(Number),
  )
  .addOption(
    new Option(
      "--reconcile-rate <n>",
      "reconciliation: calls/s each simulator accepts, and the pass's own pace",
    )
      .env("BENCH_RECONCILE_RATE")
      .default(200)
      .argParser(Number),
  )
  .addOption(
    new Option("--reconcile-run-seconds <n>", "reconciliation: work time of each scheduled run")
      .env("BENCH_RECONCILE_RUN_SECONDS")
      .default(30)
      .argParser(Number),
  )
  .addOption(
    new Option("--revoke-rate <n>", "time to revoke: offboards per second through the webhook")
      .env("BENCH_REVOKE_RATE")
      .default(20)
      .argParser(Number),
  )
  .addOption(
    new Option("--revoke-seconds <n>", "time to revoke: how long the steady offboards arrive")
      .env("BENCH_REVOKE_SECONDS")
      .default(60)
      .argParser(Number),
  )
  .addOption(
    new Option(
      "--revoke-rounds <n>",
      "time to revoke with --compare: runs of each build, alternated (tree, ref, ref, tree, …)",
    )
      .env("BENCH_REVOKE_ROUNDS")
      .default(2)
      .argParser(Number),
  )
  .addOption(
    new Option("--revoke-burst <n>", "time to revoke: offboards posted at once afterwards")
      .env("BENCH_REVOKE_BURST")
      .default(1_000)
      .argParser(Number),
  )
  .addOption(
    new Option("--degraded-people <n>", "a platform degrades: people (three events each)")
      .env("BENCH_DEGRADED_PEOPLE")
      .default(500)
      .argParser(Number),
  )
  .addOption(
    new Option("--degraded-fault-rate <share>", "a platform degrades: share of calls failing")
      .env("BENCH_DEGRADED_FAULT_RATE")
      .default(0.15)
      .argParser(Number),
  )
  .addOption(new Option("--only <sections...>", "run only these").choices(SECTIONS))
  .option(
    "--quick",
    "small sizes: 200 people, 500 mixed events over 100 people, 100 people one invocation at a time, 20-s outages with 20 offboards (the ledger's too), 5 imports, 300 requests, 3 BambooHR deliveries, 2,000 people reconciled, 10 s of offboards and a burst of 200, a degraded drill of 100 people",
  )
  .action(async (options: Options) => {
    const sizes = options.quick
      ? {
          people: 200,
          mixedEvents: 500,
          mixedPeople: 100,
          ratioPeople: 100,
          importRuns: 5,
          webhookRequests: 300,
          outageSeconds: 20,
          outageOffboards: 20,
          ledgerOutageSeconds: 20,
          ledgerOutageOffboards: 20,
          bamboohrDeliveries: 3,
          reconcilePeople: 2_000,
          revokeSeconds: 10,
          revokeBurst: 200,
          degradedPeople: 100,
        }
      : options;
    const only = new Set<string>(options.only ?? SECTIONS);
    const settings: DrainSettings = {
      latencyMs: options.latency,
      rateLimit: options.rateLimit,
      concurrency: options.concurrency,
      env: {},
      drainTimeoutMs: 15 * 60_000,
    };
    console.log(
      `Node ${process.version}, ${(await import("node:os")).cpus().length} cores; latency ${settings.latencyMs} ms, rate limit ${settings.rateLimit} calls/s per platform, ${settings.concurrency} concurrent invocations`,
    );
    if (only.has("drain")) {
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
    if (only.has("outcomes")) {
      await section("outcomes", async () =>
        printOutcomes(await runOutcomesBenchmark(sizes.people, settings)),
      );
    }
    if (only.has("outage")) {
      await section("outage", async () => {
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
      });
    }
    if (only.has("ledger-outage")) {
      await section("ledger outage", async () => {
        process.stdout.write(`outage of the ledger (${sizes.ledgerOutageSeconds} s)…\n`);
        const result = await runLedgerOutage({
          mode: "throttle",
          outageMs: sizes.ledgerOutageSeconds * 1000,
          offboards: sizes.ledgerOutageOffboards,
          latencyMs: settings.latencyMs,
          concurrency: settings.concurrency,
        });
        printLedgerOutage([result]);
      });
    }
    if (only.has("cold-start")) {
      await section("cold start", async () =>
        printColdStart(
          await measureColdStart(sizes.importRuns, options.compare ?? options.compareRef),
        ),
      );
    }
    if (only.has("revoke")) {
      await section("time to revoke", async () => {
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
      });
    }
    if (only.has("degraded")) {
      await section("a platform degrades", async () => {
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
      });
    }
    if (only.has("webhook")) {
      await section("webhook", async () =>
        printWebhook(
          await runWebhookBenchmark({
            requests: sizes.webhookRequests,
            concurrency: options.webhookConcurrency,
          }),
        ),
      );
    }
    if (only.has("bamboohr")) {
      await section("bamboohr", async () =>
        printBambooHr(
          await runBambooHrBenchmark({
            deliveries: sizes.bamboohrDeliveries,
            employees: options.bamboohrEmployees,
          }),
        ),
      );
    }
    if (only.has("reconcile")) {
      await section("reconcile", async () => {
        process.stdout.write(`reconciling ${sizes.reconcilePeople} people…\n`);
        printReconcile(
          await runReconcileBenchmark({
            people: sizes.reconcilePeople,
            rateLimit: options.reconcileRate,
            runSeconds: options.reconcileRunSeconds,
          }),
        );
      });
    }
  });

/** A failed section is reported in one line and the others still run. */
async function section(name: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    process.exitCode = 1;
    const message = error instanceof Error ? error.message : String(error);
    console.log(`\n${name}: FAILED: ${message.split("\n")[0]?.slice(0, 300)}`);
  }
}

interface Options {
  people: number;
  mixedEvents: number;
  mixedPeople: number;
  latency: number;
  rateLimit: number;
  concurrency: number;
  ratioPeople: number;
  importRuns: number;
  webhookRequests: number;
  webhookConcurrency: number;
  outageSeconds: number;
  outageOffboards: number;
  ledgerOutageSeconds: number;
  ledgerOutageOffboards: number;
  bamboohrDeliveries: number;
  bamboohrEmployees: number;
  reconcilePeople: number;
  reconcileRate: number;
  reconcileRunSeconds: number;
  revokeRate: number;
  revokeSeconds: number;
  revokeBurst: number;
  revokeRounds: number;
  degradedPeople: number;
  degradedFaultRate: number;
  compare?: string;
  compareRef?: string;
  only?: string[];
  quick?: boolean;
}

await program.parseAsync();
