import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const main = fileURLToPath(new URL("../../../cli/main.ts", import.meta.url));

describe("cli/main.ts as a process", () => {
  it("prints the help and exits 0", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [main, "--help"], {
      env: { PATH: process.env.PATH ?? "" },
    });
    expect(stdout).toContain("Usage: lifecycle");
    expect(stdout).toContain("dlq");
  });

  it("exits 2 on a usage error", async () => {
    const failure = await promisify(execFile)(process.execPath, [main, "dlq", "list", "--bogus"], {
      env: { PATH: process.env.PATH ?? "" },
    }).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain("lifecycle: --bogus is not an option here.");
  });
});
