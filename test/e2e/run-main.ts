import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** local/main.ts, as `npm start` runs it. */
export const LOCAL_MAIN = fileURLToPath(new URL("../../local/main.ts", import.meta.url));

/** Every endpoint on a free port, by flag. */
export const FREE_PORT_FLAGS = [
  "--sqs-port",
  "0",
  "--dynamodb-port",
  "0",
  "--webhook-port",
  "0",
  "--account-platform-port",
  "0",
  "--osis-port",
  "0",
];

/** Runs `node local/main.ts ...args` to its end, in `cwd`, with the environment given. */
export function runMain(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LOCAL_MAIN, ...args], {
      cwd: options.cwd,
      // Only what Node needs: the developer's LOCAL_* or platform variables must not leak in.
      env: { PATH: process.env.PATH ?? "", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 25_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
