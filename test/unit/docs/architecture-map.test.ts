import { readdirSync, readFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * docs/architecture.md's "Where things live" map against the tree, folder for folder: someone
 * new finds every folder in it, and nothing it names has moved away. A row may name several
 * folders (`a/`, `b/`) or a group of them (`functions/{consumer,webhook}/`).
 */
const ROOT = new URL("../../../", import.meta.url);
const ARCHITECTURE = readFileSync(new URL("docs/architecture.md", ROOT), "utf8");
const HEADING = "## Where things live";

/** The folders the map must name: each layer's folders, and the top-level ones. */
const MAPPED_PARENTS = ["shared/runtime", "shared/operator", "functions"];
const MAPPED_FOLDERS = ["shared/contract", "cli", "local", "infra", "test", "bench"];

const named = namedFolders(mapSection());
const required = [
  ...MAPPED_FOLDERS.map((folder) => `${folder}/`),
  ...MAPPED_PARENTS.flatMap((parent) => subfolders(parent).map((name) => `${parent}/${name}/`)),
];

describe(`docs/architecture.md, "${HEADING}"`, () => {
  it.each(required)("names %s", (folder) => {
    expect(
      named.includes(folder),
      `docs/architecture.md, "${HEADING}": add a row for \`${folder}\` (what it holds)`,
    ).toBe(true);
  });

  it.each(named)("names %s, which exists", (folder) => {
    expect(
      isFolder(folder),
      `docs/architecture.md, "${HEADING}": remove \`${folder}\` from its row (no such folder), or name where it went`,
    ).toBe(true);
  });
});

/** The map's table: from its heading to the next heading of its level. */
function mapSection(): string {
  const start = ARCHITECTURE.indexOf(`\n${HEADING}\n`);
  if (start < 0) throw new Error(`docs/architecture.md has no "${HEADING}" heading`);
  const after = ARCHITECTURE.slice(start + HEADING.length + 2);
  const next = after.search(/\n## /);
  return next < 0 ? after : after.slice(0, next);
}

/** Every folder in a row's first cell, `{a,b}` groups expanded, each ending in "/". */
function namedFolders(table: string): string[] {
  const firstCells = table
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => line.split("|")[1] ?? "");
  return firstCells.flatMap((cell) =>
    [...cell.matchAll(/`([^`]+)`/g)].flatMap((match) => expand(match[1] ?? "")),
  );
}

function expand(folder: string): string[] {
  const group = /^(.*)\{([^}]+)\}(.*)$/.exec(folder);
  if (group === null) return [folder.endsWith("/") ? folder : `${folder}/`];
  const [, before, names, after] = group;
  return (names ?? "").split(",").flatMap((name) => expand(`${before}${name}${after}`));
}

function subfolders(parent: string): string[] {
  return readdirSync(new URL(`${parent}/`, ROOT), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}

function isFolder(folder: string): boolean {
  try {
    return statSync(new URL(folder, ROOT)).isDirectory();
  } catch {
    return false;
  }
}
