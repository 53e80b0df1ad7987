import { stat } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Metafile } from "esbuild";

/** The function entries infra bundles (infra/hr-lifecycle-sync-stack.ts DEFAULT_ENTRIES). */
export const FUNCTION_ENTRIES = {
  consumer: "functions/consumer/handler.ts",
  webhook: "functions/webhook/handler.ts",
  reconcile: "functions/reconcile/handler.ts",
} as const;

export interface Bundle {
  name: string;
  bytes: number;
  /** The module URL to import. */
  url: string;
  /** Minified bytes by npm package (`@aws-sdk/client-sqs`) or, for the product, `product code`. */
  parts: Record<string, number>;
}

/**
 * Bundles an entry the way infra's NodejsFunction does: esbuild, ESM, node24, minified, AWS
 * SDK bundled, external source map without the sources, the `createRequire` banner. The
 * metafile says where the bytes come from.
 */
export async function bundleEntry(name: string, entry: string, outDir: string): Promise<Bundle> {
  const outfile = join(outDir, name, "index.mjs");
  const { metafile } = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    mainFields: ["module", "main"],
    minify: true,
    sourcemap: "external",
    sourcesContent: false,
    metafile: true,
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    logLevel: "error",
  });
  return {
    name,
    bytes: (await stat(outfile)).size,
    url: pathToFileURL(outfile).href,
    parts: partsOf(metafile),
  };
}

/** Bundles every function of the tree at `root` (a path ending in `/`). */
export async function bundleFunctions(root: string, outDir: string): Promise<Bundle[]> {
  const bundles = [];
  for (const [name, entry] of Object.entries(FUNCTION_ENTRIES)) {
    bundles.push(await bundleEntry(name, `${root}${entry}`, outDir));
  }
  return bundles;
}

function partsOf(metafile: Metafile): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      const part = match?.[1] ?? "product code";
      parts[part] = (parts[part] ?? 0) + input.bytesInOutput;
    }
  }
  return parts;
}
