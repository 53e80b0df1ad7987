import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FREE_PORT_FLAGS, runMain } from "./run-main.ts";

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "local-demo-"));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe("npm start -- --demo", () => {
  it("runs the scripted events through the stack, prints what became of each and of each person, and exits 0", async () => {
    const { code, stdout, stderr } = await runMain(["--demo", ...FREE_PORT_FLAGS], {
      cwd: directory,
    });
    expect(stderr).toBe("");
    expect(code).toBe(0);

    const row = (title: string) => stdout.split("\n").find((line) => line.includes(title)) ?? "";
    expect(row("offboard jdoe, found by login")).toMatch(
      /1001\s+queue\s.*applied \(wrote account-platform, osis\)$/,
    );
    expect(row("rehire mgarcia")).toMatch(/1005\s+webhook\s.*applied/);
    expect(row("the jdoe offboard again")).toMatch(/duplicate$/);
    expect(row("offboard asmith")).toMatch(/applied/);
    expect(row("an older asmith onboard")).toMatch(/stale$/);
    expect(row("a login no account has")).toMatch(/DLQ: not_found \(account-platform\)$/);
    expect(row("someone keeps editing")).toMatch(
      /DLQ: version_conflict \(account-platform, HTTP 409\)$/,
    );
    // Scheduled changes, through the local stack's own scheduler.
    expect(row("offboard jdoe2 effective")).toMatch(/applied \(wrote account-platform, osis\)$/);
    expect(row("offboard mgarcia effective")).toMatch(/scheduled for \S+; never applied$/);
    expect(row("HR rescinds")).toMatch(/applied \(already so\)$/);

    // jdoe's two S3 keys went off with him (issue 28).
    expect(row("John Doe")).toMatch(
      /^jdoe\s+John Doe\s+disabled \(version 2\)\s+inactive\s+2 inactive$/,
    );
    expect(row("Jane Doerr")).toMatch(/disabled \(version 2\)\s+inactive\s+none$/);
    expect(row("Maria Garcia")).toMatch(/enabled \(version 2\)\s+active\s+none$/);
    expect(row("Alice Smith")).toMatch(/disabled \(version 2\)\s+inactive\s+none$/);
    expect(row("Bo Chen")).toMatch(/^bchen\s+Bo Chen\s+enabled/);
    expect(stdout).toContain("The dead-letter queue holds 2 messages");
    expect(stdout).toContain("Every event ended as the script expected.");
    // The demo runs in memory on free ports: it leaves no stack file behind.
    expect(existsSync(join(directory, ".lifecycle"))).toBe(false);
  });
});
