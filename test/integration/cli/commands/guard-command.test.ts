import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GuardStore } from "../../../../shared/runtime/guard/guard-store.ts";
import { deadLetterOf, event } from "../cli-fixtures.ts";
import { CliStack, LEDGER_TABLE } from "../cli-harness.ts";

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
    expect(status.stdout).toContain("Onboard count: 0 of 50 onboards");
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

  it("lists the people it holds, and redrives only the named ones in the release step", async () => {
    const ws = await stack.workspace();
    const held = ["held-a", "held-b", "held-c"].map((subject) => event(subject));
    for (const [index, offboard] of held.entries()) {
      await ws.deadLetter(
        deadLetterOf(offboard, { reason: "held_by_guard", at: NOW + index * 1000 }),
      );
    }
    await ws.deadLetter(deadLetterOf(event("not-held"), { reason: "not_found" }));

    const status = await ws.run(["guard", "status", "--json"], { now: () => NOW });
    expect(status.code).toBe(0);
    const shown = JSON.parse(status.stdout) as { held: Record<string, unknown>[] };
    expect(shown.held).toEqual(
      held.map((offboard, index) => ({
        subject: offboard.subject,
        eventId: offboard.id,
        eventTime: offboard.time,
        heldSince: NOW + index * 1000,
      })),
    );
    const table = await ws.run(["guard", "status"], { now: () => NOW });
    expect(table.stdout).toContain("Held: 3 people");
    expect(table.stdout).toMatch(/held-b\s+\S+\s+\S+\s+2026-11-23T10:20:01Z/);

    expect((await ws.run(["guard", "release", "--subject", "held-a", "--yes"])).code).toBe(2);
    const released = await ws.run(
      ["guard", "release", "--redrive", "--subject", "held-a,held-c", "--yes", "--json"],
      { now: () => NOW },
    );
    expect(released.code).toBe(0);
    const report = JSON.parse(released.stdout) as { outcomes: Record<string, unknown>[] };
    expect(report.outcomes.map((o) => [o.action, o.subject])).toEqual([
      ["moved", "held-a"],
      ["moved", "held-c"],
    ]);
    const redriven = (await ws.receive(ws.queueUrl)).map((m) => JSON.parse(m.Body ?? "{}").id);
    expect(redriven.sort()).toEqual([held[0]?.id, held[2]?.id].sort());
    const left = JSON.parse((await ws.run(["guard", "status", "--json"])).stdout) as {
      held: { subject: string }[];
    };
    expect(left.held.map((person) => person.subject)).toEqual(["held-b"]);

    const audit = (await readFile(join(ws.cwd, ".lifecycle", "audit.log"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(audit.map((line) => line.action)).toEqual(["guard_released", "redriven", "redriven"]);
    expect(audit[0]).toMatchObject({ redrive: { subjects: ["held-a", "held-c"] } });
  });

  it("shows the settings the consumer recorded, and says when the guard is disabled", async () => {
    const ws = await stack.workspace();
    await store.recordSettings({ threshold: 0, windowSeconds: 600 }, NOW);
    const result = await ws.run(["guard", "status", "--json"], { now: () => NOW });
    expect(JSON.parse(result.stdout)).toMatchObject({
      state: "disabled",
      threshold: 0,
      windowSeconds: 600,
      settingsFrom: "consumer",
      windowStart: Date.parse("2026-11-23T10:20:00Z"),
    });
    const table = await ws.run(["guard", "status"], { now: () => NOW });
    expect(table.stdout).toContain("0 offboards per 600 s (as the consumer recorded them)");
  });
});
