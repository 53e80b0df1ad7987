import { access, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FREE_PORT_FLAGS } from "../../e2e/run-main.ts";
import { runCli } from "../cli/run-cli.ts";

/**
 * `lifecycle local` runs the real local stack (local/run-local.ts) in process. The stack
 * writes `.lifecycle/local.json` in the process's working directory, so the test moves there.
 */
let directory: string;
let previousDirectory: string;
beforeAll(async () => {
  previousDirectory = process.cwd();
  directory = await mkdtemp(join(tmpdir(), "lifecycle-local-"));
  process.chdir(directory);
});
afterAll(async () => {
  process.chdir(previousDirectory);
  await rm(directory, { recursive: true, force: true });
});

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let round = 0; round < 100; round += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe("lifecycle local", () => {
  it("runs the local stack until Ctrl-C, and the other commands act on it", async () => {
    const interrupt = new AbortController();
    const running = runCli(directory, ["local", ...FREE_PORT_FLAGS], { signal: interrupt.signal });
    await until(
      () =>
        access(join(directory, ".lifecycle", "local.json")).then(
          () => true,
          () => false,
        ),
      "the local stack file",
    );

    // An offboard of someone the simulators do not know ends in the DLQ, where `dlq list` sees it.
    const sent = await runCli(directory, [
      "send",
      "--type",
      "offboarded",
      "--subject",
      "nobody-known",
      "--account-login",
      "nobody.known@example.com",
      "--json",
    ]);
    expect(sent.code).toBe(0);
    const [{ eventId }] = JSON.parse(sent.stdout) as [{ eventId: string }];
    let listed = "";
    await until(async () => {
      listed = (await runCli(directory, ["dlq", "list", "--json"])).stdout;
      return listed.includes(eventId);
    }, "the dead letter");
    expect(JSON.parse(listed)).toEqual([
      expect.objectContaining({ eventId, reason: "not_found", target: "account-platform" }),
    ]);

    interrupt.abort();
    const stopped = await running;
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toContain("Stopped.");
    // The local stack logs to the stdout it was given, not around it.
    expect(stopped.stdout).toContain("Event sent to the dead-letter queue");
  });

  it("exits 2 on a bad option of the local stack", async () => {
    const result = await runCli(directory, ["local", "--sqs-port", "99999"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("a port is a whole number from 0 to 65535");
  });
});
