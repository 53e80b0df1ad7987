import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const check = fileURLToPath(new URL("../../../scripts/pinned-node.js", import.meta.url));
const manifest = JSON.parse(
  await readFile(new URL("../../../package.json", import.meta.url), "utf8"),
) as { engines: { node: string }; scripts: Record<string, string> };

/** Runs the check on this Node, seen by the check as `version` when given. */
async function runCheck(version?: string): Promise<{ code: number; stderr: string }> {
  const pretend = version
    ? [
        "--import",
        `data:text/javascript,Object.defineProperty(process.versions,"node",{value:"${version}"})`,
      ]
    : [];
  try {
    const { stderr } = await promisify(execFile)(process.execPath, [...pretend, check]);
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

describe("the pinned Node check", () => {
  it("is silent on the pinned Node", async () => {
    expect(await runCheck()).toEqual({ code: 0, stderr: "" });
  });

  it("refuses another Node in one line naming both and the fix", async () => {
    const { code, stderr } = await runCheck("20.19.0");
    expect(code).toBe(1);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toContain("runs on Node 24");
    expect(stderr).toContain("not on Node 20.19.0: run npm ci");
  });

  it("runs first in every npm script (npm start and npm test included)", () => {
    const unchecked = Object.entries(manifest.scripts)
      .filter(([name]) => !name.startsWith("pre"))
      .filter(([, command]) => !command.startsWith("node scripts/pinned-node.js && "))
      .map(([name]) => name);
    expect(unchecked, "scripts that do not start with the check").toEqual([]);
  });

  it("leaves the install's own Node to engines: npm on Node 20 or newer", () => {
    expect(manifest.engines.node).toBe(">=20");
  });
});
