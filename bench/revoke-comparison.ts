import {
  type RevokeResult,
  type RevokeSettings,
  type RevokeTimes,
  revokeTimes,
  runRevoke,
} from "./revoke-benchmark.ts";
import { median } from "./statistics.ts";

/**
 * Time to revoke of the working tree and of a compared ref, their runs alternated (tree, ref,
 * then ref, tree, and so on) and each build's runs pooled. Run one after the other, the first
 * build meets a process still warming up and the second a machine whose load has moved on: on
 * a shared machine that alone made a steady p99 read as a 70% regression. Alternated in
 * mirrored pairs, a drift in load weighs on both builds alike.
 */
export async function compareRevoke(
  settings: RevokeSettings,
  ref: { label: string; root: string },
  rounds: number,
  progress: (line: string) => void,
): Promise<[RevokeResult, RevokeResult]> {
  const tree: RevokeResult[] = [];
  const compared: RevokeResult[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    const order = round % 2 === 1 ? (["tree", "ref"] as const) : (["ref", "tree"] as const);
    for (const build of order) {
      progress(
        `time to revoke (${build === "tree" ? "working tree" : ref.label}, run ${round} of ${rounds})…\n`,
      );
      if (build === "tree") tree.push(await runRevoke(settings));
      else compared.push(await runRevoke(settings, ref));
    }
  }
  return [pooled(tree), pooled(compared)];
}

/** One build's runs as one result: every offboard's time pooled, the counts added. */
function pooled(runs: readonly RevokeResult[]): RevokeResult {
  const [first] = runs;
  if (first === undefined) throw new Error("no run to pool");
  const pool = (pick: (run: RevokeResult) => RevokeTimes) =>
    revokeTimes(
      runs.flatMap((run) => pick(run).samples),
      sum(runs.map((run) => pick(run).events)),
      sum(runs.map((run) => pick(run).notCut)),
    );
  return {
    ...first,
    steady: pool((run) => run.steady),
    burst: {
      ...pool((run) => run.burst),
      lastCutMs: median(runs.map((run) => run.burst.lastCutMs)),
      boundMs: first.burst.boundMs,
    },
    deadLettered: sum(runs.map((run) => run.deadLettered)),
    webhookRetries: sum(runs.map((run) => run.webhookRetries)),
    runs: runs.length,
  };
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
