import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GetQueueAttributesCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { createConsumerHandler } from "../../../../functions/consumer/create-handler.ts";
import { buildDeadLetterMessage } from "../../../../shared/runtime/dlq/dead-letter-message.ts";
import { bambooHrSignal } from "../../../../shared/runtime/events/bamboohr-signal.ts";
import { createLedgerTable } from "../../../../shared/runtime/ledger/create-ledger-table.ts";
import { DynamoDbLedger } from "../../../../shared/runtime/ledger/dynamodb-ledger.ts";
import type { ConsumerEnvironment, Scenario } from "../../../support/consumer-environment.ts";
import { useConsumerEnvironment } from "../../../support/consumer-suite.ts";
import { offboard } from "../../../support/lifecycle-events.ts";
import { OSIS_TENANT_ID, seedPerson } from "../../../support/people.ts";
import { consumerStackDirectory, runCli } from "../../cli/cli-harness.ts";

let environment: ConsumerEnvironment;
const scenario = useConsumerEnvironment({
  started: (started) => {
    environment = started;
  },
});

/**
 * Four offboards the consumer treats four ways: one to apply (both platforms enabled), one
 * that changes nothing (already off), one refused (a protected account), one whose user the
 * account platform does not know.
 */
async function fourOffboards(env: Record<string, string> = {}) {
  const table = `plan-${randomUUID().slice(0, 8)}`;
  await createLedgerTable(environment.dynamodb, table);
  const run = randomUUID().slice(0, 6);
  const leaver = seedPerson(environment, `leaver-${run}`);
  const gone = seedPerson(environment, `gone-${run}`, { enabled: false });
  const admin = seedPerson(environment, `admin-${run}`, { login: `admin-${run}` });
  const s = await scenario({ LEDGER_TABLE: table, PROTECTED_ACCOUNTS: `admin-${run}`, ...env });
  const events = {
    apply: offboard(leaver.subject, leaver.data),
    noop: offboard(gone.subject, gone.data),
    refused: offboard(admin.subject, admin.data),
    unknown: offboard(`nobody-${run}`, { accountPlatform: { login: `nobody-${run}` } }),
  };
  return { s, table, run, leaver, gone, admin, events };
}

const ledgerOf = (table: string) =>
  new DynamoDbLedger({ client: environment.dynamodb, tableName: table });

/** Messages in a queue, visible or in flight. */
async function depthOf(queueUrl: string): Promise<number> {
  const output = await environment.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  const attributes = output.Attributes ?? {};
  return (
    Number(attributes.ApproximateNumberOfMessages ?? 0) +
    Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

interface PlannedJson {
  eventId: string;
  subject: string;
  reason?: string;
  plan: { kind: string; reason?: string };
  description: string;
}

interface ListedJson {
  subject: string;
  reason: string;
  target?: string;
  detail: string;
}

/** A metric's totals by one of its dimensions, from the EMF lines the consumer wrote. */
function metricTotals(s: Scenario, name: string, dimension: string): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const line of s.metrics.lines.map((l) => JSON.parse(l) as Record<string, unknown>)) {
    if (!(name in line)) continue;
    const key = String(line[dimension]);
    // EMF gives one value, or the list of values recorded in the invocation.
    const values = [line[name]].flat().map(Number);
    totals[key] = (totals[key] ?? 0) + values.reduce((sum, value) => sum + value, 0);
  }
  return totals;
}

describe("a dry-run consumer", () => {
  it("keeps every event in the DLQ with its plan, writes nothing, and the plans apply once redriven", async () => {
    const { s, table, run, leaver, gone, admin, events } = await fourOffboards({
      DRY_RUN: "true",
    });
    for (const event of Object.values(events)) await s.send(event);
    await s.send("{not json", { groupId: `junk-${run}` });
    await s.drain();

    // Nothing written: no platform write, no ledger record; and nothing lost.
    expect(environment.accountPlatform.calls.count("setEnabled")).toBe(0);
    expect(environment.osis.calls.count("setActive")).toBe(0);
    expect(await ledgerOf(table).getPerson(leaver.subject)).toBeUndefined();
    const cwd = await consumerStackDirectory(environment, s, table);
    const listed = await runCli(cwd, ["dlq", "list", "--json"]);
    const letters = new Map(
      (JSON.parse(listed.stdout) as ListedJson[]).map((letter) => [letter.subject, letter]),
    );
    expect(letters.size).toBe(5);
    expect(letters.get(leaver.subject)).toMatchObject({
      reason: "dry_run",
      detail: `would disable account-platform user ${leaver.accountUser.id} (version ${leaver.accountUser.version}); would deactivate OSIS user ${OSIS_TENANT_ID}/osis-${leaver.subject} (and would check its S3 keys)`,
    });
    expect(letters.get(gone.subject)).toMatchObject({
      reason: "dry_run",
      detail:
        "already as wanted on both platforms: nothing to do but check the OSIS user's S3 keys",
    });
    expect(letters.get(admin.subject)).toMatchObject({
      reason: "dry_run",
      target: "account-platform",
      detail: expect.stringMatching(/^would dead-letter: protected \(account-platform\): /),
    });
    expect(letters.get(events.unknown.subject)).toMatchObject({
      reason: "dry_run",
      detail: expect.stringMatching(/^would dead-letter: not_found \(account-platform\): /),
    });
    // The junk names no subject: it is the one invalid_event letter.
    expect([...letters.values()].map((letter) => letter.reason).sort()).toEqual([
      "dry_run",
      "dry_run",
      "dry_run",
      "dry_run",
      "invalid_event",
    ]);
    // The plans are counted apart from dead letters: only the junk counts as one.
    expect(metricTotals(s, "DeadLettered", "reason")).toEqual({ invalid_event: 1 });
    expect(metricTotals(s, "DryRunPlanned", "plan")).toEqual({
      apply: 1,
      nothing_to_do: 1,
      dead_letter: 2,
    });

    // Dry run off: the redriven plans are applied (or refused) for real.
    const live = createConsumerHandler({
      ...s.dependencies,
      config: { ...s.config, dryRun: false },
    });
    const redriven = await runCli(cwd, ["dlq", "redrive", "--reason", "dry_run", "--json"]);
    expect(redriven.code).toBe(0);
    for (let round = 0; round < 10; round += 1) {
      const messages = await s.receive({ waitSeconds: 1 });
      if (messages.length === 0) break;
      await s.invoke(messages, { handler: live });
    }
    expect([leaver.accountEnabled(), leaver.osisActive()]).toEqual([false, false]);
    expect(admin.accountEnabled()).toBe(true);
    const after = (
      JSON.parse((await runCli(cwd, ["dlq", "list", "--json"])).stdout) as ListedJson[]
    )
      .map((letter) => [letter.subject, letter.reason])
      .sort();
    expect(after).toEqual(
      [
        [admin.subject, "protected"],
        [events.unknown.subject, "not_found"],
        [undefined, "invalid_event"],
      ].sort(),
    );
  });
});

describe("lifecycle plan", () => {
  it("says per event what the consumer would do now, and writes nothing", async () => {
    const { s, table, run, leaver, gone, admin, events } = await fourOffboards();
    const cwd = await consumerStackDirectory(environment, s, table);
    const file = join(cwd, "events.ndjson");
    await writeFile(
      file,
      `${Object.values(events)
        .map((e) => JSON.stringify(e))
        .join("\n")}\n`,
    );

    const result = await runCli(cwd, ["plan", "--file", file, "--json"], {
      env: { PROTECTED_ACCOUNTS: `admin-${run}` },
    });
    expect(result.code).toBe(0);
    const planned = JSON.parse(result.stdout) as PlannedJson[];
    expect(planned.map((row) => [row.subject, row.description])).toEqual([
      [
        leaver.subject,
        `would disable account-platform user ${leaver.accountUser.id} (version ${leaver.accountUser.version}); would deactivate OSIS user ${OSIS_TENANT_ID}/osis-${leaver.subject} (and would check its S3 keys)`,
      ],
      [
        gone.subject,
        "already as wanted on both platforms: nothing to do but check the OSIS user's S3 keys",
      ],
      [
        admin.subject,
        expect.stringMatching(/^would dead-letter: protected \(account-platform\): /),
      ],
      [events.unknown.subject, expect.stringMatching(/^would dead-letter: not_found /)],
    ]);
    // Nothing was written: the platforms as seeded, no ledger record, no message anywhere.
    expect([leaver.accountEnabled(), leaver.osisActive()]).toEqual([true, true]);
    expect(await ledgerOf(table).getPerson(leaver.subject)).toBeUndefined();
    expect([await depthOf(s.queueUrl), await depthOf(s.dlqUrl)]).toEqual([0, 0]);
  });

  it("says nothing of S3 keys when OSIS_CREDENTIALS=ignore, as the consumer would not check them", async () => {
    const { s, table, leaver, events } = await fourOffboards();
    const cwd = await consumerStackDirectory(environment, s, table);
    const file = join(cwd, "events.ndjson");
    await writeFile(file, `${JSON.stringify(events.apply)}\n`);

    const result = await runCli(cwd, ["plan", "--file", file, "--json"], {
      env: { OSIS_CREDENTIALS: "ignore" },
    });
    expect(result.code).toBe(0);
    const planned = JSON.parse(result.stdout) as PlannedJson[];
    expect(planned.map((row) => row.description)).toEqual([
      `would disable account-platform user ${leaver.accountUser.id} (version ${leaver.accountUser.version}); would deactivate OSIS user ${OSIS_TENANT_ID}/osis-${leaver.subject}`,
    ]);
  });

  it("plans a DLQ selection, invalid bodies included, by the same rules", async () => {
    const { s, table, leaver, events } = await fourOffboards();
    const cwd = await consumerStackDirectory(environment, s, table);
    const send = (
      body: string,
      subject: string,
      reason: "dry_run" | "invalid_event" | "retries_exhausted",
    ) =>
      environment.sqs.send(
        new SendMessageCommand(
          buildDeadLetterMessage(s.dlqUrl, {
            body,
            groupId: subject,
            sourceMessageId: randomUUID(),
            attempt: 1,
            reason,
            at: Date.now(),
          }),
        ),
      );
    await send(JSON.stringify(events.apply), leaver.subject, "dry_run");
    await send("{not json", "invalid", "invalid_event");

    const result = await runCli(cwd, ["plan", "--dlq", "--json"]);
    expect(result.code).toBe(0);
    const planned = JSON.parse(result.stdout) as PlannedJson[];
    expect(planned.map((row) => [row.reason, row.plan.kind])).toEqual([
      ["dry_run", "apply"],
      ["invalid_event", "dead_letter"],
    ]);
    const listed = await runCli(cwd, ["plan", "--dlq", "--reason", "dry_run"]);
    expect(listed.stdout).toContain(`would disable account-platform user ${leaver.accountUser.id}`);
    expect(listed.stdout).not.toContain("invalid_event");
    // Planning read the DLQ and left it as it was.
    expect(await depthOf(s.dlqUrl)).toBe(2);

    // A BambooHR signal is read back by the consumer only: not planned here (exit 1), said why.
    const signal = bambooHrSignal({
      id: "1001-1795400000",
      employeeId: "1001",
      subject: "1001",
      receivedAtMs: Date.now(),
    });
    await send(JSON.stringify(signal), "1001", "retries_exhausted");
    const signalPlan = await runCli(cwd, ["plan", "--dlq", "--reason", "retries_exhausted"]);
    expect(signalPlan.code).toBe(1);
    expect(signalPlan.stdout).toContain("a BambooHR signal: the consumer reads employee 1001 back");
  });

  it("refuses an input without events or with filters but no --dlq", async () => {
    const { s, table } = await fourOffboards();
    const cwd = await consumerStackDirectory(environment, s, table);
    expect((await runCli(cwd, ["plan"])).code).toBe(2);
    expect((await runCli(cwd, ["plan", "--file", "x.json", "--reason", "dry_run"])).code).toBe(2);
  });
});

describe("planning a scheduled event", () => {
  it("the dry run and lifecycle plan say it would be scheduled until its effectiveAt, reading no platform", async () => {
    const table = `plan-${randomUUID().slice(0, 8)}`;
    await createLedgerTable(environment.dynamodb, table);
    const person = seedPerson(environment, `last-day-${randomUUID().slice(0, 6)}`);
    const s = await scenario({ LEDGER_TABLE: table, DRY_RUN: "true" });
    const effectiveAt = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
    const lastDay = offboard(person.subject, { ...person.data, effectiveAt });
    const words = `would be scheduled until ${effectiveAt}: nothing is written before then`;

    const cwd = await consumerStackDirectory(environment, s, table);
    const file = join(cwd, "last-day.json");
    await writeFile(file, JSON.stringify(lastDay));
    const result = await runCli(cwd, ["plan", "--file", file, "--json"]);
    expect(result.code).toBe(0);
    const planned = JSON.parse(result.stdout) as PlannedJson[];
    expect(planned.map((row) => [row.plan.kind, row.description])).toEqual([["scheduled", words]]);

    await s.send(lastDay);
    await s.drain();
    const listed = JSON.parse(
      (await runCli(cwd, ["dlq", "list", "--json"])).stdout,
    ) as ListedJson[];
    expect(listed).toEqual([expect.objectContaining({ reason: "dry_run", detail: words })]);
    expect(metricTotals(s, "DryRunPlanned", "plan")).toEqual({ scheduled: 1 });
    expect(environment.accountPlatform.calls.count("getUser")).toBe(0);
    expect(environment.osis.calls.count("getUser")).toBe(0);
  });
});
