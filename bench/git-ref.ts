import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The working tree's root, ending in `/`. */
export const ROOT = fileURLToPath(new URL("../", import.meta.url));

/**
 * A git ref's files in `directory` (from `git archive`), with the working tree's node_modules
 * (a superset while a change adds packages). Returns the root, ending in `/`.
 */
export async function checkOut(ref: string, directory: string): Promise<string> {
  await mkdir(directory, { recursive: true });
  const archive = join(directory, "..", `${directory.split("/").pop() ?? "ref"}.tar`);
  await run("git", ["-C", ROOT, "archive", "--format=tar", `--output=${archive}`, ref]);
  await run("tar", ["-xf", archive, "-C", directory]);
  await symlink(join(ROOT, "node_modules"), join(directory, "node_modules"), "dir");
  return `${directory}/`;
}

/** Runs `use` on a checkout of `ref` in a temporary directory, removed afterwards. */
export async function withRefCheckedOut<T>(
  ref: string,
  use: (root: string) => Promise<T>,
): Promise<T> {
  const directory = await mkdtemp(join(tmpdir(), "lifecycle-ref-"));
  try {
    return await use(await checkOut(ref, join(directory, "tree")));
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
