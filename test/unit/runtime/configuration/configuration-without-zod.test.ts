import { build } from "esbuild";
import { describe, expect, it } from "vitest";

/**
 * The consumer reads its configuration at cold start: loading zod and building schemas for it
 * cost milliseconds of every cold start, so the setting rules are plain functions. The bundle's
 * metafile says which modules import zod.
 */
describe("the consumer's configuration", () => {
  it("imports no zod: no setting rule and not consumer-config.ts", async () => {
    const { metafile } = await build({
      entryPoints: ["functions/consumer/handler.ts"],
      bundle: true,
      write: false,
      outfile: "consumer.mjs",
      platform: "node",
      format: "esm",
      mainFields: ["module", "main"],
      metafile: true,
      logLevel: "error",
    });
    const importsZod = (path: string) => /node_modules\/zod\/|zod-mini\.ts$/.test(path);
    const importers = Object.entries(metafile.inputs)
      .filter(([, input]) => input.imports.some((imported) => importsZod(imported.path)))
      .map(([path]) => path);
    // The consumer still bundles zod (the event's schema): the check sees who imports it.
    expect(importers.length).toBeGreaterThan(0);
    expect(
      importers.filter(
        (path) =>
          path.startsWith("shared/runtime/configuration/") || path.endsWith("/consumer-config.ts"),
      ),
    ).toEqual([]);
  });
});
