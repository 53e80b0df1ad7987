import type { DegradedResult } from "./degraded-benchmark.ts";
import { table } from "./report.ts";
import type { RevokeResult, RevokeTimes } from "./revoke-benchmark.ts";

const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : "-");
const seconds = (value: number) =>
  Number.isFinite(value) ? `${(value / 1000).toFixed(1)} s` : "-";

/** A p99 this much above the compared ref's is called out as a regression. */
const REGRESSION_RATIO = 1.2;

export function printRevoke(results: readonly RevokeResult[]): void {
  const settings = results[0]?.settings;
  if (settings === undefined) return;
  const label = (r: RevokeResult) => (r.runs > 1 ? `${r.label} (${r.runs} runs pooled)` : r.label);
  const times = (t: RevokeTimes) => [
    String(t.events),
    ms(t.p50Ms),
    ms(t.p90Ms),
    ms(t.p99Ms),
    ms(t.maxMs),
    String(t.notCut),
  ];
  console.log(
    `\nTime to revoke: webhook 202 → both platforms written (latency ${settings.latencyMs} ms, rate limit ${settings.rateLimit} calls/s per platform, ${settings.concurrency} invocations at once, default consumer settings, guard off)`,
  );
  console.log(
    table([
      ["consumer", "offboards", "p50", "p90", "p99", "max", "not cut", "DLQ"],
      ...results.map((r) => [
        `${label(r)}: ${settings.rate}/s for ${settings.seconds} s`,
        ...times(r.steady),
        String(r.deadLettered),
      ]),
      ...results.map((r) => [`${label(r)}: ${settings.burst} at once`, ...times(r.burst), ""]),
    ]),
  );
  console.log(
    table([
      ["consumer", "burst", "last person cut (from the first post)", "rate-limit bound"],
      ...results.map((r) => [
        r.label,
        String(settings.burst),
        seconds(r.burst.lastCutMs),
        `${seconds(r.burst.boundMs)} (a read and a write per platform each, at ${settings.rateLimit}/s)`,
      ]),
    ]),
  );
  const retried = results.filter((r) => r.webhookRetries > 0);
  if (retried.length > 0) {
    console.log(
      `Webhook posts answered 503 and sent again: ${retried.map((r) => `${r.label} ${r.webhookRetries}`).join(", ")}`,
    );
  }
  const [tree, ref] = results;
  if (tree === undefined || ref === undefined) return;
  for (const [name, now, before] of [
    ["steady p99", tree.steady.p99Ms, ref.steady.p99Ms],
    ["burst p99", tree.burst.p99Ms, ref.burst.p99Ms],
  ] as const) {
    const change = now / before;
    const verdict =
      change > REGRESSION_RATIO
        ? `REGRESSION: ${name} time to revoke ${ms(now)} against ${ms(before)} on ${ref.label} (+${Math.round((change - 1) * 100)}%, over the 20% allowed)`
        : `${name}: ${ms(now)} against ${ms(before)} on ${ref.label} (${change >= 1 ? "+" : ""}${Math.round((change - 1) * 100)}%)`;
    console.log(verdict);
  }
}

export function printDegraded(result: DegradedResult): void {
  const { settings } = result;
  console.log(
    `\nA platform degrades: ${settings.people} people, ${settings.events} events (onboards and offboards mixed, a backlog), both platforms failing ${Math.round(settings.faultRate * 100)}% of calls at random (5xx, 429, resets, answers stalling ${seconds(settings.stallMs)}), ${settings.concurrency} invocations at once, default consumer settings${Object.keys(settings.tuning).length > 0 ? ` but ${JSON.stringify(settings.tuning)}` : ""}, guard off`,
  );
  console.log(
    table([
      [
        "drain",
        "people revoked",
        "time to revoke p50",
        "p99",
        "last",
        "wrong final states",
        "DLQ",
        "batches (p50 / p90 length)",
        "records sent back (mean wait)",
      ],
      [
        seconds(result.drainMs),
        String(result.revoke.people),
        seconds(result.revoke.p50Ms),
        seconds(result.revoke.p99Ms),
        seconds(result.revoke.lastMs),
        String(result.wrongStates),
        String(result.deadLettered),
        `${result.batches.count} (${seconds(result.batches.p50Ms)} / ${seconds(result.batches.p90Ms)})`,
        `${result.retried.count} (${result.retried.meanWaitSeconds.toFixed(1)} s)`,
      ],
    ]),
  );
  console.log(
    `Outcomes ${JSON.stringify(result.outcomes)}; sent back by cause ${JSON.stringify(result.retried.byCause)}, of them ${result.retried.heldForLateWrite} held while a late OSIS write could still land. Goal: drained in under 5 minutes.`,
  );
}
