import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GuardStore } from "../../../shared/guard/guard-store.ts";
import { CliStack, LEDGER_TABLE } from "../cli/cli-harness.ts";

// The lead registers `guard` in cli/commands/index.ts; until then the test adds it itself.
vi.mock("../../../cli/commands/index.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../../cli/commands/index.ts")>();
  const { guardCommand } = await import("../../../cli/commands/guard.ts");
  const registered = original.COMMANDS.includes(guardCommand);
  return { COMMANDS: registered ? original.COMMANDS : [...original.COMMANDS, guardCommand] };
});

let stack: CliStack;
let store: GuardStore;
beforeAll(async () => {
  stack = await CliStack.start();
  store = new GuardStore({ client: stack.dynamodb, tableName: LEDGER_TABLE });
});
afterAll(async () => {
  await stack.stop();
});

const NOW = Date.parse("2026-11-23T10:20:00Z");
const WINDOW_START = Date.parse("2026-11-23T10:00:00Z");

describe("lifecycle guard", () => {
  it("shows the count, threshold, window and state; release resets it and is audit-logged", async () => {
    const ws = await stack.workspace();
    for (const slot of ["a", "b", "c"]) {
      await store.reserve({
        bucketStart: WINDOW_START,
        slot,
        threshold: 3,
        windowSeconds: 3600,
        now: NOW,
      });
    }
    await store.trip({
      bucketStart: WINDOW_START,
      count: 3,
      threshold: 3,
      windowSeconds: 3600,
      now: NOW,
    });

    const status = await ws.run(["guard", "status"], { now: () => NOW });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("TRIPPED at 2026-11-23T10:20:00Z");
    expect(status.stdout).toContain("3 of 3 offboards");
    expect(status.stdout).toContain("2026-11-23T10:00:00Z to 2026-11-23T11:00:00Z");

    const refused = await ws.run(["guard", "release"], { now: () => NOW });
    expect(refused.code).toBe(2);
    expect((await store.readState()).tripped).toBe(true);

    const released = await ws.run(["guard", "release", "--yes"], { now: () => NOW });
    expect(released.code).toBe(0);
    expect(released.stdout).toContain("Guard released");
    expect(released.stderr).toContain("lifecycle dlq redrive --reason held_by_guard");

    const json = await ws.run(["guard", "status", "--json"], { now: () => NOW });
    expect(JSON.parse(json.stdout)).toMatchObject({ state: "armed", count: 0 });

    const audit = (await readFile(join(ws.cwd, ".lifecycle", "audit.log"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(audit).toEqual([
      expect.objectContaining({
        action: "guard_released",
        stateBefore: "tripped",
        countBefore: 3,
        threshold: 3,
        time: "2026-11-23T10:20:00.000Z",
      }),
    ]);
  });

  it("a tripped guard is shown and released in the window it tripped with, given no settings", async () => {
    const ws = await stack.workspace();
    const tenMinutes = Date.parse("2026-11-23T10:50:00Z");
    for (const slot of ["x", "y"]) {
      await store.reserve({
        bucketStart: tenMinutes,
        slot,
        threshold: 2,
        windowSeconds: 600,
        now: tenMinutes,
      });
    }
    await store.trip({
      bucketStart: tenMinutes,
      count: 2,
      threshold: 2,
      windowSeconds: 600,
      now: tenMinutes,
    });
    const now = () => Date.parse("2026-11-23T10:55:00Z");

    const status = await ws.run(["guard", "status", "--json"], { now });
    expect(JSON.parse(status.stdout)).toMatchObject({
      state: "tripped",
      count: 2,
      threshold: 2,
      windowSeconds: 600,
      windowStart: tenMinutes,
    });

    expect((await ws.run(["guard", "release", "--yes"], { now })).code).toBe(0);
    expect((await store.readBucket(tenMinutes)).count).toBe(0);
    expect(JSON.parse((await ws.run(["guard", "status", "--json"], { now })).stdout)).toMatchObject(
      { state: "armed", windowSeconds: 3600, threshold: 50 },
    );
  });

  it("reads the window from the consumer's variable, and says when the guard is disabled", async () => {
    const ws = await stack.workspace();
    const result = await ws.run(["guard", "status", "--json"], {
      now: () => NOW,
      env: { CONSUMER_GUARD_WINDOW_SECONDS: "600", CONSUMER_GUARD_THRESHOLD: "0" },
    });
    expect(JSON.parse(result.stdout)).toMatchObject({
      state: "disabled",
      windowSeconds: 600,
      windowStart: Date.parse("2026-11-23T10:20:00Z"),
    });
  });
});
