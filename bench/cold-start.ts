import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, stat, symlink } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { median } from "./statistics.ts";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** The function entries infra bundles (infra/hr-lifecycle-sync-stack.ts DEFAULT_ENTRIES). */
const ENTRIES = {
  consumer: "functions/consumer/handler.ts",
  webhook: "functions/webhook/handler.ts",
  reconcile: "functions/reconcile/handler.ts",
} as const;

export interface ColdStartVariant {
  /** "working tree", or the git ref it was built from. */
  label: string;
  bundles: { name: string; bytes: number }[];
  importMedianMs: number;
  importP90Ms: number;
  /** CPU time (user + system) the import used: steadier than wall time on a busy machine. */
  importCpuMedianMs: number;
  /** From the start of the import to the first secret request: module loading and setup. */
  toFirstSecretReadMedianMs: number;
}

export interface ColdStartResult {
  importRuns: number;
  /** The working tree first, then the compared ref, if any. */
  variants: ColdStartVariant[];
}

/**
 * Bundles each function the way infra's NodejsFunction does (esbuild, ESM, node24, minified,
 * AWS SDK bundled, external source map), then imports the bundled consumer in fresh Node
 * processes. Importing runs the handler module's top level, as a Lambda cold start does:
 * configuration, clients, and the two secret reads, answered here by a loopback stand-in for
 * Secrets Manager.
 *
 * With `compareRef`, the same is done for that git ref (its files from `git archive`, the
 * working tree's node_modules), and the imports of the two alternate, so a busy machine slows
 * both alike: before and after, side by side, from one run.
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
    const built = [];
    for (const [index, tree] of trees.entries()) {
      built.push({ ...tree, ...(await bundleAll(tree.root, join(outDir, `bundles-${index}`))) });
    }
    const timings = await timeImports(
      built.map((tree) => tree.consumer),
      importRuns,
    );
    return {
      importRuns,
      variants: built.map((tree, index) => {
        const { times, cpu, toFirstRead } = timings[index] ?? {
          times: [],
          cpu: [],
          toFirstRead: [],
        };
        const sorted = [...times].sort((a, b) => a - b);
        return {
          label: tree.label,
          bundles: tree.bundles,
          importMedianMs: median(times),
          importP90Ms: sorted[Math.ceil(sorted.length * 0.9) - 1] ?? Number.NaN,
          importCpuMedianMs: median(cpu),
          toFirstSecretReadMedianMs: median(toFirstRead),
        };
      }),
    };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** The ref's files, with the working tree's node_modules (a superset while a change adds packages). */
async function checkOut(ref: string, directory: string): Promise<string> {
  await mkdir(directory, { recursive: true });
  const archive = join(directory, "..", "ref.tar");
  await run("git", ["-C", ROOT, "archive", "--format=tar", `--output=${archive}`, ref]);
  await run("tar", ["-xf", archive, "-C", directory]);
  await symlink(join(ROOT, "node_modules"), join(directory, "node_modules"), "dir");
  return `${directory}/`;
}

async function bundleAll(
  root: string,
  outDir: string,
): Promise<{ bundles: { name: string; bytes: number }[]; consumer: string }> {
  const bundles = [];
  for (const [name, entry] of Object.entries(ENTRIES)) {
    const outfile = join(outDir, name, "index.mjs");
    await build({
      entryPoints: [`${root}${entry}`],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node24",
      mainFields: ["module", "main"],
      minify: true,
      sourcemap: "external",
      sourcesContent: false,
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
      logLevel: "error",
    });
    bundles.push({ name, bytes: (await stat(outfile)).size });
  }
  return { bundles, consumer: pathToFileURL(join(outDir, "consumer", "index.mjs")).href };
}

/** Imports each consumer bundle `importRuns` times, one fresh process each, in turn. */
async function timeImports(
  consumers: readonly string[],
  importRuns: number,
): Promise<{ times: number[]; cpu: number[]; toFirstRead: number[] }[]> {
  const secrets = await startSecretsStandIn();
  try {
    const env = {
      PATH: process.env.PATH ?? "",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
      QUEUE_URL: "http://127.0.0.1:1/000000000000/lifecycle-events.fifo",
      DLQ_URL: "http://127.0.0.1:1/000000000000/lifecycle-events-dlq.fifo",
      LEDGER_TABLE: "lifecycle-ledger",
      ACCOUNT_PLATFORM_URL: "http://127.0.0.1:1",
      ACCOUNT_PLATFORM_TENANT_ID: "tenant",
      ACCOUNT_PLATFORM_SECRET_ID: "account-platform",
      OSIS_URL: "http://127.0.0.1:1",
      OSIS_CD_TENANT_ID: "cd-tenant",
      OSIS_SECRET_ID: "osis",
      LOG_LEVEL: "error",
    };
    const results = consumers.map(() => ({
      times: [] as number[],
      cpu: [] as number[],
      toFirstRead: [] as number[],
    }));
    for (let index = 0; index < importRuns; index += 1) {
      for (const [variant, consumer] of consumers.entries()) {
        const script = `const t = performance.now(); const c = process.cpuUsage(); await import(${JSON.stringify(consumer)}); const u = process.cpuUsage(c); console.log(performance.now() - t, performance.timeOrigin + t, (u.user + u.system) / 1000);`;
        secrets.requests.length = 0;
        const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
          env,
          timeout: 30_000,
        });
        const [importMs, startedAt, cpuMs] = stdout.trim().split(" ").map(Number);
        results[variant]?.times.push(importMs ?? Number.NaN);
        results[variant]?.cpu.push(cpuMs ?? Number.NaN);
        results[variant]?.toFirstRead.push(
          (secrets.requests[0] ?? Number.NaN) - (startedAt ?? Number.NaN),
        );
      }
    }
    return results;
  } finally {
    await secrets.stop();
  }
}

/** Answers GetSecretValue with a usable secret of the asked shape; nothing else. */
async function startSecretsStandIn(): Promise<{
  url: string;
  /** Arrival times (epoch ms, fractional) of the requests. */
  requests: number[];
  stop(): Promise<void>;
}> {
  const requests: number[] = [];
  const values: Record<string, unknown> = {
    "account-platform": { clientId: "bench-client", clientSecret: "bench-secret" },
    osis: { username: "bench", password: "bench-password" },
  };
  const server = createServer((request, response) => {
    requests.push(performance.timeOrigin + performance.now());
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on("end", () => {
      const secretId = (JSON.parse(body || "{}") as { SecretId?: string }).SecretId ?? "";
      response.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
      response.end(
        JSON.stringify({
          ARN: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${secretId}`,
          Name: secretId,
          VersionId: "1",
          SecretString: JSON.stringify(values[secretId] ?? {}),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
