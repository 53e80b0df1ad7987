import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The version in the package's package.json: the nearest one above this file, which is
 * `../` when run from source and `../../` from the published `dist/cli/`.
 */
export function packageVersion(from: string = import.meta.dirname): string {
  for (let directory = from; ; directory = dirname(directory)) {
    try {
      const manifest = JSON.parse(readFileSync(join(directory, "package.json"), "utf8"));
      if (typeof manifest.version === "string") return manifest.version;
    } catch {
      // No package.json here (or not ours to read): look one level up.
    }
    if (dirname(directory) === directory) return "unknown";
  }
}
