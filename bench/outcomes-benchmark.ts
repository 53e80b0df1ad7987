import { OUTCOME_BUS_NAME } from "../shared/contract/setting-names.ts";
import { type DrainResult, type DrainSettings, runDrain } from "./drain-benchmark.ts";
import { massOffboarding } from "./workload.ts";

/** The local stand-in takes any bus name; the consumer publishes when it has one. */
const BUS_NAME = "bench-outcomes";

/**
 * Mass offboarding with outcome publishing off and on (OUTCOME_BUS_NAME unset and set; the
 * EventBridge stand-in runs beside the other servers): the consumer's throughput both ways,
 * each run twice in turn (off, on, off, on) so that a warmer second run favours neither.
 */
export async function runOutcomesBenchmark(
  people: number,
  settings: DrainSettings,
): Promise<{ off: DrainResult[]; on: DrainResult[] }> {
  const off: DrainResult[] = [];
  const on: DrainResult[] = [];
  for (let round = 0; round < 2; round += 1) {
    for (const publishing of [false, true]) {
      process.stdout.write(`mass offboarding, outcome publishing ${publishing ? "on" : "off"}…\n`);
      const env = publishing ? { ...settings.env, [OUTCOME_BUS_NAME]: BUS_NAME } : settings.env;
      const result = await runDrain(massOffboarding(people), "product", { ...settings, env });
      (publishing ? on : off).push(result);
    }
  }
  return { off, on };
}

export function printOutcomes(results: { off: DrainResult[]; on: DrainResult[] }): void {
  const rates = (runs: DrainResult[]) => runs.map((run) => run.events / (run.drainMs / 1000));
  const best = (runs: DrainResult[]) => Math.max(...rates(runs));
  const line = (runs: DrainResult[]) =>
    `best ${best(runs).toFixed(1)} events/s (runs: ${rates(runs)
      .map((rate) => rate.toFixed(1))
      .join(", ")})`;
  console.log("\nOutcome publishing (mass offboarding, PutEvents batched per invocation):");
  console.log(`  off: ${line(results.off)}`);
  console.log(`  on:  ${line(results.on)}`);
  // The best of each: another process on the machine only ever slows a run down.
  const cost = ((best(results.off) - best(results.on)) / best(results.off)) * 100;
  console.log(`  cost of publishing: ${cost.toFixed(1)}% of the best throughput`);
}
