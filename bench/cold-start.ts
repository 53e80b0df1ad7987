import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type AwsStandIn, startAwsStandIn } from "./aws-stand-in.ts";
import { type Bundle, bundleEntry, bundleFunctions } from "./bundle-functions.ts";
import { checkOut, ROOT } from "./git-ref.ts";
import { median, percentile } from "./statistics.ts";

const FLOOR_ENTRY = fileURLToPath(new URL("./cold-start-floor.ts", import.meta.url));

export interface ColdStartVariant {
  /** "floor", "working tree", or the git ref it was built from. */
  label: string;
  /** Every function's bundle (the floor: its own only). */
  bundles: Bundle[];
  importMedianMs: number;
  importP90Ms: number;
  /** CPU time (user + system) the import used: steadier than wall time on a busy machine. */
  importCpuMedianMs: number;
  /** From the start of the import to the first secret request: module loading and setup. */
  toFirstSecretReadMedianMs: number;
  /** Requests to the ledger (DynamoDB) one import made, most in any run. */
  ledgerCallsPerImport: number;
  secretReadsPerImport: number;
}

export interface ColdStartResult {
  importRuns: number;
  /** The floor first, then the working tree, then the compared ref, if any. */
  variants: ColdStartVariant[];
}

interface ImportFigures {
  importMs: number;
  startedAt: number;
  cpuMs: number;
}

/**
 * Bundles each function the way infra's NodejsFunction does, and the floor
 * (cold-start-floor.ts: middy, Powertools, the SDK clients, the two secret reads; no product
 * code), then imports the consumer bundles and the floor in fresh Node processes, taking turns
 * so that whatever else runs on the machine slows each alike. Importing runs the handler
 * module's top level, as a Lambda cold start does; every AWS request it makes is answered at
 * once by a loopback stand-in (aws-stand-in.ts).
 *
 * Each import writes its figures to a file of its own, which no log line can reach, and a run
 * that exits badly or writes no figure fails the benchmark, naming the variant and the reason.
 *
 * With `compareRef`, that git ref's consumer is measured too (its files from `git archive`,
 * the working tree's node_modules).
 */
export async function measureColdStart(
  importRuns: number,
  compareRef?: string,
): Promise<ColdStartResult> {
  // Outside the repository: the bundles are build output, not source to lint or commit.
  const outDir = await mkdtemp(join(tmpdir(), "lifecycle-bench-"));
  try {
    const trees = [{ label: "working tree", root: ROOT }];
    if (compareRef !== undefined) {
      trees.push({ label: compareRef, root: await checkOut(compareRef, join(outDir, "ref")) });
    }
    const variants: { label: string; bundles: Bundle[]; imported: Bundle }[] = [];
    const floor = await bundleEntry("floor", FLOOR_ENTRY, join(outDir, "floor"));
    variants.push({ label: "floor", bundles: [floor], imported: floor });
    for (const [index, tree] of trees.entries()) {
      const bundles = await bundleFunctions(tree.root, join(outDir, `bundles-${index}`));
      const consumer = bundles.find((bundle) => bundle.name === "consumer");
      if (consumer === undefined) throw new Error(`${tree.label}: no consumer bundle`);
      const missing = clientsMissingFromFloor(floor, consumer);
      if (missing.length > 0) {
        throw new Error(
          `the floor lacks ${missing.join(", ")}, which the ${tree.label} consumer bundles: add its client to bench/cold-start-floor.ts`,
        );
      }
      variants.push({ label: tree.label, bundles, imported: consumer });
    }
    const timings = await timeImports(variants, importRuns, outDir);
    return {
      importRuns,
      variants: variants.map((variant, index) => {
        const runs = timings[index] ?? [];
        return {
          label: variant.label,
          bundles: variant.bundles,
          importMedianMs: median(runs.map((r) => r.importMs)),
          importP90Ms: percentile(
            runs.map((r) => r.importMs),
            0.9,
          ),
          importCpuMedianMs: median(runs.map((r) => r.cpuMs)),
          toFirstSecretReadMedianMs: median(runs.map((r) => r.toFirstSecretRead)),
          ledgerCallsPerImport: Math.max(0, ...runs.map((r) => r.ledgerCalls)),
          secretReadsPerImport: Math.max(0, ...runs.map((r) => r.secretReads)),
        };
      }),
    };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** The AWS SDK client packages the consumer bundles and the floor lacks (it must load every one). */
function clientsMissingFromFloor(floor: Bundle, consumer: Bundle): string[] {
  return Object.keys(consumer.parts).filter(
    (part) => part.startsWith("@aws-sdk/client-") && !(part in floor.parts),
  );
}

type ImportRun = ImportFigures & {
  toFirstSecretRead: number;
  ledgerCalls: number;
  secretReads: number;
};

/** Imports each variant `importRuns` times, one fresh process each; each round starts one further on. */
async function timeImports(
  variants: readonly { label: string; imported: Bundle }[],
  importRuns: number,
  outDir: string,
): Promise<ImportRun[][]> {
  const aws = await startAwsStandIn();
  try {
    const results: ImportRun[][] = variants.map(() => []);
    for (let round = 0; round < importRuns; round += 1) {
      for (let turn = 0; turn < variants.length; turn += 1) {
        const index = (round + turn) % variants.length;
        const variant = variants[index];
        if (variant === undefined) continue;
        const figuresFile = join(outDir, `figures-${round}-${index}.json`);
        aws.clear();
        const figures = await importOnce(variant, aws, figuresFile);
        const secretReads = aws.requests.filter((r) => r.service === "secrets");
        results[index]?.push({
          ...figures,
          toFirstSecretRead: (secretReads[0]?.at ?? Number.NaN) - figures.startedAt,
          ledgerCalls: aws.requests.filter((r) => r.service === "ledger").length,
          secretReads: secretReads.length,
        });
      }
    }
    return results;
  } finally {
    await aws.stop();
  }
}

/** One fresh Node process imports the bundle and writes its figures to `figuresFile`. */
async function importOnce(
  variant: { label: string; imported: Bundle },
  aws: AwsStandIn,
  figuresFile: string,
): Promise<ImportFigures> {
  const script = [
    `import { writeFileSync } from "node:fs";`,
    `const startedAt = performance.now(); const cpu = process.cpuUsage();`,
    `await import(${JSON.stringify(variant.imported.url)});`,
    `const importMs = performance.now() - startedAt; const used = process.cpuUsage(cpu);`,
    `writeFileSync(${JSON.stringify(figuresFile)}, JSON.stringify({ importMs, startedAt: performance.timeOrigin + startedAt, cpuMs: (used.user + used.system) / 1000 }));`,
  ].join("\n");
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
        env: importEnvironment(aws.url),
        stdio: ["ignore", "ignore", "pipe"],
        timeout: 30_000,
      });
      let errors = "";
      child.stderr.on("data", (chunk: Buffer) => {
        errors += chunk.toString();
      });
      child.on("error", reject);
      child.on("close", (exitCode) => resolve({ code: exitCode, stderr: errors }));
    },
  );
  // The error's own line (a stack's head), else the last thing said.
  const lines = stderr.trim().split("\n");
  const said = (lines.find((line) => /^\w*Error\b/.test(line)) ?? lines.at(-1) ?? "").slice(0, 400);
  if (code !== 0) {
    throw new Error(
      `the ${variant.label} import failed (exit ${code ?? "killed: over 30 s"})${said ? `: ${said}` : ""}`,
    );
  }
  let figures: Partial<ImportFigures>;
  try {
    figures = JSON.parse(await readFile(figuresFile, "utf8")) as Partial<ImportFigures>;
  } catch {
    throw new Error(
      `the ${variant.label} import exited 0 but wrote no figure${said ? `: ${said}` : ""}`,
    );
  }
  const { importMs, startedAt, cpuMs } = figures;
  if (![importMs, startedAt, cpuMs].every((value) => Number.isFinite(value))) {
    throw new Error(
      `the ${variant.label} import wrote no usable figure: ${JSON.stringify(figures)}`,
    );
  }
  return figures as ImportFigures;
}

/** A deployed consumer's variables, every AWS endpoint the loopback stand-in. */
function importEnvironment(standIn: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_ENDPOINT_URL_SECRETS_MANAGER: standIn,
    AWS_ENDPOINT_URL_DYNAMODB: standIn,
    AWS_ENDPOINT_URL_SQS: standIn,
    AWS_ENDPOINT_URL_EVENTBRIDGE: standIn,
    QUEUE_URL: `${standIn}/000000000000/lifecycle-events.fifo`,
    DLQ_URL: `${standIn}/000000000000/lifecycle-events-dlq.fifo`,
    LEDGER_TABLE: "lifecycle-ledger",
    ACCOUNT_PLATFORM_URL: "http://127.0.0.1:1",
    ACCOUNT_PLATFORM_TENANT_ID: "tenant",
    ACCOUNT_PLATFORM_SECRET_ID: "account-platform",
    OSIS_URL: "http://127.0.0.1:1",
    OSIS_CD_TENANT_ID: "cd-tenant",
    OSIS_SECRET_ID: "osis",
    // The stack's consumer publishes its outcomes: its cold start is measured with publishing on.
    OUTCOME_BUS_NAME: "lifecycle-outcomes",
    LOG_LEVEL: "error",
    POWERTOOLS_LOG_LEVEL: "ERROR",
  };
}
