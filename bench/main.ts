import { type BenchOptions, benchCommand, benchSizes, SECTIONS } from "./bench-options.ts";
import {
  type BenchRun,
  benchBambooHr,
  benchColdStart,
  benchDegraded,
  benchDrains,
  benchLedgerOutage,
  benchOutages,
  benchOutcomes,
  benchReconcile,
  benchRevoke,
  benchWebhook,
  drainSettings,
} from "./bench-sections.ts";

/**
 * `npm run bench [-- options]`: the drain benchmarks (product and baseline), cold start and
 * webhook throughput, printed as tables. Every size has a flag and an environment variable
 * (`--quick` for a run of a few seconds). See docs/performance.md.
 */
const program = benchCommand().action(async (options: BenchOptions) => {
  const run: BenchRun = { options, sizes: benchSizes(options), settings: drainSettings(options) };
  const only = new Set<string>(options.only ?? SECTIONS);
  const { settings } = run;
  console.log(
    `Node ${process.version}, ${(await import("node:os")).cpus().length} cores; latency ${settings.latencyMs} ms, rate limit ${settings.rateLimit} calls/s per platform, ${settings.concurrency} concurrent invocations`,
  );
  if (only.has("drain")) await benchDrains(run);
  if (only.has("outcomes")) await section("outcomes", () => benchOutcomes(run));
  if (only.has("outage")) await section("outage", () => benchOutages(run));
  if (only.has("ledger-outage")) await section("ledger outage", () => benchLedgerOutage(run));
  if (only.has("cold-start")) await section("cold start", () => benchColdStart(run));
  if (only.has("revoke")) await section("time to revoke", () => benchRevoke(run));
  if (only.has("degraded")) await section("a platform degrades", () => benchDegraded(run));
  if (only.has("webhook")) await section("webhook", () => benchWebhook(run));
  if (only.has("bamboohr")) await section("bamboohr", () => benchBambooHr(run));
  if (only.has("reconcile")) await section("reconcile", () => benchReconcile(run));
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

await program.parseAsync();
