import { fileURLToPath } from "node:url";
import { type BuildOptions, build, type Metafile } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * What the consumer evaluates when Lambda imports it: esbuild wraps a module reached only by a
 * dynamic `import()`, so its top level (and that of what only it reaches) runs at the first
 * `import()`, not at load. These tests bundle the handler as infra does and walk its static
 * imports from the entry: zod and the event's schema must not be among them, so they are
 * evaluated at the first record, never at cold start.
 */

const PROJECT_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

const ZOD = /^node_modules\/zod\/|^shared\/runtime\/events\/zod-mini\.ts$/;
/** Loaded at the first record (the event's validation) or the first BambooHR signal. */
const LOADED_AT_FIRST_USE = [
  "shared/runtime/events/validation.ts",
  "shared/runtime/events/lifecycle-event-schema.ts",
  "shared/runtime/events/bamboohr-signal.ts",
];

const bundleOptions = {
  bundle: true,
  write: false,
  metafile: true,
  outdir: "bundle",
  absWorkingDir: PROJECT_ROOT,
  platform: "node",
  format: "esm",
  target: "node24",
  mainFields: ["module", "main"],
  logLevel: "silent",
} satisfies BuildOptions;

async function metafileOf(entry: BuildOptions["stdin"] | string): Promise<Metafile> {
  const entryOptions = typeof entry === "string" ? { entryPoints: [entry] } : { stdin: entry };
  const { metafile } = await build({ ...bundleOptions, ...entryOptions });
  return metafile;
}

/** Every module that importing `entry` evaluates, each with the chain of static imports that reaches it. */
function staticallyReached(metafile: Metafile, entry: string): Map<string, string[]> {
  const reached = new Map([[entry, [entry]]]);
  const queue = [entry];
  for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
    const chain = reached.get(path) ?? [];
    for (const imported of metafile.inputs[path]?.imports ?? []) {
      if (imported.kind !== "import-statement" || imported.external) continue;
      if (reached.has(imported.path)) continue;
      reached.set(imported.path, [...chain, imported.path]);
      queue.push(imported.path);
    }
  }
  return reached;
}

/**
 * The chains by which importing the entry reaches zod or a module meant for the first use, each
 * ending at the first such module (not at all it brings).
 */
function evaluatedTooEarly(reached: Map<string, string[]>): string[] {
  const tooEarly = (path: string) => ZOD.test(path) || LOADED_AT_FIRST_USE.includes(path);
  return [...reached.values()]
    .filter((chain) => tooEarly(chain.at(-1) ?? "") && !chain.slice(0, -1).some(tooEarly))
    .map((chain) => chain.join(" → "));
}

const CONSUMER = "functions/consumer/handler.ts";

describe("the consumer's import", () => {
  let metafile: Metafile;
  beforeAll(async () => {
    metafile = await metafileOf(CONSUMER);
  });

  it("evaluates neither zod nor the event's schema: they are reached by dynamic imports only", () => {
    expect(evaluatedTooEarly(staticallyReached(metafile, CONSUMER))).toEqual([]);
    expect(Object.keys(metafile.inputs)).toEqual(expect.arrayContaining(LOADED_AT_FIRST_USE));
    const loadedLater = Object.values(metafile.inputs).flatMap((input) =>
      input.imports.filter((imported) => imported.kind === "dynamic-import"),
    );
    expect(loadedLater.map((imported) => imported.path)).toEqual(
      expect.arrayContaining([
        "shared/runtime/events/validation.ts",
        "shared/runtime/events/bamboohr-signal.ts",
      ]),
    );
  });

  it("reaches zod from no module of its own: not the settings, not the secrets' shapes", () => {
    const importers = [...staticallyReached(metafile, CONSUMER).keys()].filter((path) =>
      metafile.inputs[path]?.imports.some(
        (imported) => imported.kind === "import-statement" && ZOD.test(imported.path),
      ),
    );
    expect(importers).toEqual([]);
  });

  it("finds the validation and zod where a module imports them statically", async () => {
    const probe = {
      contents: [
        'export { parseLifecycleEvent } from "./shared/runtime/events/validation.ts";',
        'export { lazy } from "./shared/runtime/events/zod-mini.ts";',
      ].join("\n"),
      resolveDir: PROJECT_ROOT,
      sourcefile: "probe.ts",
      loader: "ts",
    } satisfies BuildOptions["stdin"];
    const reached = staticallyReached(await metafileOf(probe), "probe.ts");
    expect(evaluatedTooEarly(reached).sort()).toEqual([
      "probe.ts → shared/runtime/events/validation.ts",
      "probe.ts → shared/runtime/events/zod-mini.ts",
    ]);
  });
});
