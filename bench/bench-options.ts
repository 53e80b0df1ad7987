import { Command, Option } from "commander";

/** The sections a run may choose with `--only`, in the order `--help` lists them. */
export const SECTIONS = [
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

/** The benchmark's options: every size has a flag and a BENCH_* environment variable. */
export function benchCommand(): Command {
  return new Command("bench")
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
      new Option(
        "--outage-seconds <n>",
        "how long each platform is down in turn (503 to every call)",
      )
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
      new Option(
        "--bamboohr-deliveries <n>",
        "BambooHR field-based deliveries posted, one at a time",
      )
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
    );
}

export interface BenchOptions {
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

/** `--quick`: a run of a few seconds (its help line lists these). */
const QUICK_SIZES = {
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
};

export type BenchSizes = typeof QUICK_SIZES;

/** The sizes of this run: `--quick`'s, or those the options give. */
export function benchSizes(options: BenchOptions): BenchSizes {
  return options.quick ? QUICK_SIZES : options;
}
