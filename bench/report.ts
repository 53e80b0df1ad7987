import type { BambooHrResult } from "./bamboohr-benchmark.ts";
import type { ColdStartResult, ColdStartVariant } from "./cold-start.ts";
import type { DrainResult } from "./drain-benchmark.ts";
import type { OutageResult } from "./outage-benchmark.ts";
import type { ReconcileResult } from "./reconcile-benchmark.ts";
import type { WebhookResult } from "./webhook-benchmark.ts";

/** A plain text table: the first row is the header. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, column) => cell.padEnd(widths?.[column] ?? 0)).join(" | ")} |`;
  const [header, ...body] = rows;
  if (!header) return "";
  return [
    line(header),
    `|${widths?.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...body.map(line),
  ].join("\n");
}

const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : "-");
const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export function printDrains(results: readonly DrainResult[], latencyMs: number): void {
  console.log(`\nDrain (simulator latency ${latencyMs} ms per platform call)`);
  const ofLimit = (rate: number, limit: number | undefined) =>
    limit === undefined
      ? rate.toFixed(0)
      : `${rate.toFixed(0)} (${Math.round((rate / limit) * 100)}%)`;
  const percent = (value: number) => `${value.toFixed(0)}%`;
  console.log(
    table([
      [
        "workload",
        "consumer",
        "invocations at once",
        "rate limit",
        "events",
        "drain",
        "events/s",
        "account calls/s (of limit)",
        "OSIS calls/s (of limit)",
        "429s (share of calls)",
        "p50 enqueue→applied",
        "p99 enqueue→applied",
        "peak RSS",
        "CPU consumer / stand-ins",
        "DLQ",
        "records/batch",
      ],
      ...results.map((r) => [
        r.workload,
        r.consumer,
        String(r.concurrency),
        rateLimitOf(r),
        String(r.events),
        seconds(r.drainMs),
        (r.events / (r.drainMs / 1000)).toFixed(0),
        ofLimit(r.callsPerSecond.accountPlatform, r.rateLimit),
        ofLimit(r.callsPerSecond.osis, r.rateLimit),
        `${r.throttled} (${r.calls === 0 ? 0 : ((r.throttled / r.calls) * 100).toFixed(1)}%)`,
        ms(r.p50EnqueueToAppliedMs),
        ms(r.p99EnqueueToAppliedMs),
        mib(r.peakRssBytes),
        `${percent(r.cpuPercent.consumer)} / ${percent(r.cpuPercent.standIns)}`,
        String(r.deadLettered),
        r.recordsPerBatch.toFixed(1),
      ]),
    ]),
  );
  const ratios: string[][] = [
    [
      "workload",
      "invocations at once",
      "rate limit",
      "baseline drain / product drain",
      "records per batch",
      "product CPU",
    ],
  ];
  for (const product of results.filter((r) => r.consumer === "product")) {
    const baseline = results.find(
      (r) =>
        r.consumer === "baseline" &&
        r.workload === product.workload &&
        r.concurrency === product.concurrency &&
        r.rateLimit === product.rateLimit &&
        r.events === product.events,
    );
    if (!baseline) continue;
    ratios.push([
      product.workload,
      String(product.concurrency),
      rateLimitOf(product),
      `${(baseline.drainMs / product.drainMs).toFixed(1)}×`,
      product.recordsPerBatch.toFixed(1),
      percent(product.cpuPercent.consumer),
    ]);
  }
  console.log(`\n${table(ratios)}`);
  console.log(
    `Outcomes: ${results.map((r) => `${r.workload}/${r.consumer}/${r.concurrency} ${JSON.stringify(r.outcomes)}`).join("; ")}`,
  );
}

function rateLimitOf(result: DrainResult): string {
  return result.rateLimit === undefined ? "none" : `${result.rateLimit}/s`;
}

export function printColdStart(result: ColdStartResult): void {
  const { variants } = result;
  const floor = variants.find((v) => v.label === "floor");
  console.log("\nCold start (esbuild as infra bundles: ESM, node24, minified, AWS SDK bundled)");
  const names = variants.find((v) => v.label !== "floor")?.bundles.map((b) => b.name) ?? [];
  const bundleOf = (v: ColdStartVariant, name: string) =>
    v.label === "floor"
      ? name === "consumer"
        ? v.bundles[0]
        : undefined
      : v.bundles.find((b) => b.name === name);
  const ratio = (value: number, base: number | undefined) =>
    base === undefined || !Number.isFinite(value / base) ? "-" : `${(value / base).toFixed(2)}×`;
  console.log(
    table([
      ["", ...variants.map((v) => v.label)],
      ...names.map((name) => [
        `bundle ${name}`,
        ...variants.map((v) => {
          const bytes = bundleOf(v, name)?.bytes;
          return bytes === undefined ? "" : kib(bytes);
        }),
      ]),
      ["import, median", ...variants.map((v) => ms(v.importMedianMs))],
      [
        "import / floor, median",
        ...variants.map((v) => ratio(v.importMedianMs, floor?.importMedianMs)),
      ],
      ["import, p90", ...variants.map((v) => ms(v.importP90Ms))],
      ["import, CPU time, median", ...variants.map((v) => ms(v.importCpuMedianMs))],
      [
        "CPU / floor, median",
        ...variants.map((v) => ratio(v.importCpuMedianMs, floor?.importCpuMedianMs)),
      ],
      [
        "of which up to the first secret read, median",
        ...variants.map((v) => ms(v.toFirstSecretReadMedianMs)),
      ],
      ["secret reads per import", ...variants.map((v) => String(v.secretReadsPerImport))],
      ["ledger calls per import", ...variants.map((v) => String(v.ledgerCallsPerImport))],
    ]),
  );
  console.log(
    `Each import in a fresh Node process (its top level, every AWS request answered at once on loopback), ${result.importRuns} runs each, the variants taking turns. Goal: the consumer at most 1.10× the floor (median).`,
  );
  const consumers = variants.filter((v) => v.label !== "floor");
  const parts = new Set(
    consumers.flatMap((v) => Object.keys(bundleOf(v, "consumer")?.parts ?? {})),
  );
  const rows = [...parts]
    .map(
      (part) => [part, ...consumers.map((v) => bundleOf(v, "consumer")?.parts[part] ?? 0)] as const,
    )
    .sort((a, b) => Number(b[1]) - Number(a[1]))
    .slice(0, 14);
  console.log("\nWhere the consumer bundle's bytes are (minified, by package; the largest)");
  console.log(
    table([
      ["part", ...consumers.map((v) => v.label)],
      ...rows.map(([part, ...bytes]) => [part, ...bytes.map((b) => kib(Number(b)))]),
    ]),
  );
}

export function printWebhook(result: WebhookResult): void {
  console.log(
    `\nWebhook (signed single events into the local queue, ${result.concurrency} in flight)`,
  );
  console.log(
    table([
      ["requests", "accepted (202)", "requests/s", "p50", "p99", "queued"],
      [
        String(result.requests),
        String(result.accepted),
        result.requestsPerSecond.toFixed(0),
        ms(result.p50Ms),
        ms(result.p99Ms),
        String(result.queued),
      ],
    ]),
  );
}

export function printOutages(results: readonly OutageResult[]): void {
  console.log("\nPlatform outage (503 to every call), default consumer settings");
  console.log(
    table([
      [
        "platform down",
        "outage",
        "offboards arriving",
        "invocations at once",
        "dead letters",
        "calls to the down platform",
        "most in any 5 s once open",
        "waits (no attempt)",
        "applied",
        "drain after recovery",
      ],
      ...results.map((r) => [
        r.down,
        seconds(r.outageMs),
        String(r.offboards),
        String(r.concurrency),
        String(r.deadLettered),
        String(r.downCalls),
        String(r.maxCallsPer5s),
        String(r.waits),
        String(r.applied),
        seconds(r.drainAfterRecoveryMs),
      ]),
    ]),
  );
}

export function printBambooHr(result: BambooHrResult): void {
  console.log(
    `\nBambooHR (field-based deliveries of ${result.employees} employees, ${(result.bodyBytes / 1024).toFixed(0)} KiB each, one at a time)`,
  );
  console.log(
    table([
      ["deliveries", "accepted (202)", "p50 answer", "slowest answer", "queued"],
      [
        String(result.deliveries),
        String(result.accepted),
        ms(result.p50Ms),
        ms(result.maxMs),
        String(result.queued),
      ],
    ]),
  );
}

export function printReconcile(result: ReconcileResult): void {
  console.log(
    `\nReconciliation: one pass over ${result.people} people, simulators and pace at ${result.rateLimit} calls/s each, ${result.runSeconds} s of work per run`,
  );
  const perPerson = (calls: number) => (result.checked ? (calls / result.checked).toFixed(3) : "-");
  console.log(
    table([
      [
        "people checked",
        "runs",
        "pass",
        "people/s",
        "account calls/person",
        "OSIS calls/person",
        "429s",
        "drifted",
        "errors",
      ],
      [
        String(result.checked),
        String(result.runs),
        `${result.passSeconds.toFixed(0)} s`,
        (result.checked / result.passSeconds).toFixed(1),
        perPerson(result.accountCalls),
        perPerson(result.osisCalls),
        String(result.refused429),
        String(result.drifted),
        String(result.errors),
      ],
    ]),
  );
}
