import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LifecycleChangeOutcome } from "../../schemas/lifecycle-change-outcome.ts";
import { runCli } from "../integration/cli/run-cli.ts";
import { expectOutcomeSchema } from "../support/outcome-schema.ts";
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
    expect(existsSync(join(directory, ".lifecycle", "local.json"))).toBe(false);

    // Every row's outcome, as `lifecycle outcomes --json` lists it (a duplicate publishes none).
    const listed = await runCli(directory, ["outcomes", "--json"]);
    expect(listed.code, listed.stderr).toBe(0);
    const published = JSON.parse(listed.stdout) as unknown[];
    published.forEach(expectOutcomeSchema);
    expect(outcomesByRow(published as LifecycleChangeOutcome[])).toEqual(outcomesByRow(stdout));
  });
});

/**
 * Per person and event type, what became of each event, sorted: from the demo's table (its
 * outcome column), or from the outcome events (each event's newest, by `at`).
 */
function outcomesByRow(from: string | readonly LifecycleChangeOutcome[]): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  const add = (subject: string, type: string, said: string) => {
    const key = `${subject} ${type}`;
    groups[key] = [...(groups[key] ?? []), said].sort();
  };
  if (typeof from === "string") {
    for (const line of from.split("\n")) {
      const row = /^\d+\s+(onboarded|offboarded)\s+(\S+)\s+\S+\s+.*?\s{2,}(\S.*)$/.exec(line);
      if (!row) continue;
      const [, type = "", subject = "", outcome = ""] = row;
      if (outcome === "duplicate") continue;
      add(subject, `user.${type}`, tableWords(outcome));
    }
    return groups;
  }
  const newest = new Map<string, LifecycleChangeOutcome>();
  for (const outcome of from) {
    const seen = newest.get(outcome.event.id ?? "");
    if (!seen || seen.at < outcome.at) newest.set(outcome.event.id ?? "", outcome);
  }
  for (const outcome of newest.values()) {
    add(outcome.event.subject ?? "", outcome.event.type ?? "", eventWords(outcome));
  }
  return groups;
}

/** The demo's words for an outcome, reduced to what the outcome event says too. */
function tableWords(text: string): string {
  const letter = /^DLQ: (\S+)/.exec(text);
  if (letter) return `dead_lettered ${letter[1]}`;
  const wrote = /^applied \(wrote (.*)\)$/.exec(text);
  if (wrote) return `applied ${wrote[1]}`;
  if (text === "applied (already so)") return "applied";
  return text.split(" ")[0] ?? text;
}

function eventWords(outcome: LifecycleChangeOutcome): string {
  if (outcome.outcome === "dead_lettered") return `dead_lettered ${outcome.failure?.reason}`;
  if (outcome.outcome !== "applied") return outcome.outcome;
  const changed = outcome.targets.filter((t) => t.result === "changed").map((t) => t.target);
  return changed.length === 0 ? "applied" : `applied ${changed.join(", ")}`;
}
