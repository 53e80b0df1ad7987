import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createLedgerTable } from "../../../../shared/runtime/ledger/create-ledger-table.ts";
import { DynamoDbLedger } from "../../../../shared/runtime/ledger/dynamodb-ledger.ts";
import { ReconcilePassStore } from "../../../../shared/runtime/reconcile/reconcile-pass-store.ts";
import { sendCorrectiveEvents } from "../../../../shared/runtime/reconcile/send-corrective-events.ts";
import type { ConsumerEnvironment } from "../../../support/consumer-environment.ts";
import { useConsumerEnvironment } from "../../../support/consumer-suite.ts";
import { offboard } from "../../../support/lifecycle-events.ts";
import { seedPerson } from "../../../support/people.ts";
import { consumerStackDirectory, runCli } from "../cli-harness.ts";

let environment: ConsumerEnvironment;
const scenario = useConsumerEnvironment({
  started: (started) => {
    environment = started;
  },
});

/** A leaver re-enabled by hand, and a working directory whose local.json names everything. */
async function driftedLeaver() {
  const table = `reconcile-cli-${randomUUID().slice(0, 8)}`;
  await createLedgerTable(environment.dynamodb, table);
  const s = await scenario({ LEDGER_TABLE: table });
  const leaver = seedPerson(environment, `cli-leaver-${randomUUID().slice(0, 6)}`);
  await s.send(offboard(leaver.subject, leaver.data));
  await s.drain();
  environment.accountPlatform.setUser(leaver.accountUser.id, { enabled: true });
  const cwd = await consumerStackDirectory(environment, s, table);
  return { s, leaver, cwd, table };
}

describe("lifecycle reconcile", () => {
  it("prints the drift, and --apply --yes fixes it through the queue (audit-logged)", async () => {
    const { s, leaver, cwd } = await driftedLeaver();

    const report = await runCli(cwd, ["reconcile"]);
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(
      new RegExp(
        `${leaver.subject}\\s+account-platform\\s+${leaver.accountUser.id}\\s+disabled\\s+enabled`,
      ),
    );
    expect(report.stdout).toContain("1 person drifted of 1 checked.");
    // Report mode enqueues nothing.
    expect(await s.queueDepth()).toBe(0);

    const unconfirmed = await runCli(cwd, ["reconcile", "--apply"]);
    expect(unconfirmed.code).toBe(2);
    expect(await s.queueDepth()).toBe(0);

    const applied = await runCli(cwd, ["reconcile", "--apply", "--yes", "--json"]);
    expect(applied.code).toBe(0);
    const json = JSON.parse(applied.stdout) as { corrective: { sent: { eventId: string }[] } };
    expect(json.corrective.sent).toHaveLength(1);
    expect(leaver.accountEnabled()).toBe(true);

    await s.drain();
    expect(leaver.accountEnabled()).toBe(false);
    const audit = (await readFile(join(cwd, ".lifecycle", "audit.log"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const eventId = json.corrective.sent[0]?.eventId;
    expect(audit).toEqual([
      expect.objectContaining({
        action: "reconcile_corrective_sending",
        subject: leaver.subject,
        eventId,
      }),
      expect.objectContaining({
        action: "reconcile_corrective_sent",
        subject: leaver.subject,
        eventId,
      }),
    ]);

    const clean = await runCli(cwd, ["reconcile", "--subject", leaver.subject]);
    expect(clean.stdout).toContain("No drift: 1 person checked.");
  });

  it("sends no corrective event whose audit line could not be written first, nor any after it", async () => {
    const { s, leaver, table } = await driftedLeaver();
    const ledger = new DynamoDbLedger({ client: environment.dynamodb, tableName: table });
    const person = await ledger.getPerson(leaver.subject);
    const written: string[] = [];
    const report = await sendCorrectiveEvents({
      sqs: environment.sqs,
      queueUrl: s.queueUrl,
      people: person ? [person, person] : [],
      audit: {
        write: async (action) => {
          written.push(action);
          throw new Error("disk full");
        },
      },
    });
    expect(written).toEqual(["reconcile_corrective_sending"]);
    expect(report).toMatchObject({ sent: [], failed: [], auditFailed: "disk full" });
    expect(await s.queueDepth()).toBe(0);
  });

  it("fails (exit 1) and reports no drift when a platform cannot be read", async () => {
    const { s, cwd } = await driftedLeaver();
    environment.accountPlatform.faults.add({ operation: "*", status: 503, times: Infinity });
    const result = await runCli(cwd, ["reconcile", "--apply", "--yes", "--json"]);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as { drift: unknown[]; errors: { kind: string }[] };
    expect(json.drift).toEqual([]);
    expect(json.errors.map((e) => e.kind)).toEqual(["unavailable"]);
    expect(result.stderr).toContain("not judged for drift");
    expect(await s.queueDepth()).toBe(0);
  });
});

describe("lifecycle reconcile status", () => {
  it("shows the pass under way and the last finished one, as the scheduled runs recorded them", async () => {
    const { s, cwd, table } = await (async () => {
      const table = `reconcile-status-${randomUUID().slice(0, 8)}`;
      await createLedgerTable(environment.dynamodb, table);
      const s = await scenario({ LEDGER_TABLE: table });
      return { s, table, cwd: await consumerStackDirectory(environment, s, table) };
    })();
    expect(s).toBeDefined();
    const empty = await runCli(cwd, ["reconcile", "status"]);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain("No reconciliation pass has run yet");

    const store = new ReconcilePassStore({ client: environment.dynamodb, tableName: table });
    const started = Date.parse("2026-11-23T06:00:00Z");
    expect(await store.takeLease("run-1", started, started + 60_000)).toBe(true);
    await store.save("run-1", {
      current: {
        startedAt: started,
        runs: 3,
        checked: 6_000,
        drifted: 2,
        errors: 1,
        skipped: 40,
        cursor: "PERSON#emp-6000",
        updatedAt: started + 1_800_000,
      },
      last: {
        startedAt: started - 86_400_000,
        finishedAt: started - 86_400_000 + 4_500_000,
        durationMs: 4_500_000,
        runs: 7,
        checked: 19_990,
        drifted: 0,
        errors: 0,
        skipped: 10,
      },
    });
    const shown = await runCli(cwd, ["reconcile", "status"]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(
      /under way\s+2026-11-23T06:00:00Z\s+-\s+.+?\s+3\s+6000\s+2\s+1\s+40/,
    );
    expect(shown.stdout).toMatch(
      /last\s+2026-11-22T06:00:00Z\s+2026-11-22T07:15:00Z\s+1h 15m\s+7\s+19990\s+0\s+0\s+10/,
    );
    expect(shown.stderr).toContain("PERSON#emp-6000");
    const json = await runCli(cwd, ["reconcile", "status", "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      current: { runs: 3, checked: 6_000, cursor: "PERSON#emp-6000" },
      last: { runs: 7, checked: 19_990, durationMs: 4_500_000 },
    });
  });
});
