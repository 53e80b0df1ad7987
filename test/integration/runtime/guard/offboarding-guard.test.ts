import { randomUUID } from "node:crypto";
import type { Message } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { DLQ_ATTRIBUTES } from "../../../../shared/contract/dead-letter-attributes.ts";
import { redriveDeadLetters } from "../../../../shared/operator/dead-letters/redrive-dead-letters.ts";
import {
  readGuardStatus,
  releaseGuard,
} from "../../../../shared/operator/guard/guard-operations.ts";
import type { AuditAction, AuditSink } from "../../../../shared/runtime/audit/audit-log.ts";
import { GuardStore } from "../../../../shared/runtime/guard/guard-store.ts";
import { createLedgerTable } from "../../../../shared/runtime/ledger/create-ledger-table.ts";
import { DynamoDbLedger } from "../../../../shared/runtime/ledger/dynamodb-ledger.ts";
import type { ConsumerEnvironment, Scenario } from "../../../support/consumer-environment.ts";
import { useConsumerEnvironment } from "../../../support/consumer-suite.ts";
import { offboard, onboard } from "../../../support/lifecycle-events.ts";
import { type SeededPerson, seedPerson } from "../../../support/people.ts";

let environment: ConsumerEnvironment;
const scenario = useConsumerEnvironment({
  started: (started) => {
    environment = started;
  },
});

/** The guard's count is table-wide, so every test gets a ledger table of its own. */
async function guardedScenario(threshold: number, extra: Record<string, string> = {}) {
  const table = `guard-${randomUUID().slice(0, 8)}`;
  await createLedgerTable(environment.dynamodb, table);
  const s = await scenario({
    LEDGER_TABLE: table,
    CONSUMER_GUARD_THRESHOLD: String(threshold),
    CONSUMER_GUARD_WINDOW_SECONDS: "3600",
    ...extra,
  });
  const store = new GuardStore({ client: environment.dynamodb, tableName: table });
  const ledger = new DynamoDbLedger({ client: environment.dynamodb, tableName: table });
  return { s, store, ledger, table };
}

function people(prefix: string, count: number, enabled = true): SeededPerson[] {
  const run = randomUUID().slice(0, 6);
  return Array.from({ length: count }, (_, index) =>
    seedPerson(environment, `${prefix}-${run}-${index}`, { enabled }),
  );
}

const reasonOf = (message: Message) =>
  message.MessageAttributes?.[DLQ_ATTRIBUTES.reason]?.StringValue;

const metricTotal = (s: Scenario, name: string) =>
  s.metrics.lines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => name in line)
    .reduce((sum, line) => sum + Number(line[name]), 0);

/** Dead letters as they are (not deleted), for the redrive to find. */
async function peekDeadLetters(s: Scenario): Promise<Message[]> {
  const { ReceiveMessageCommand, ChangeMessageVisibilityBatchCommand } = await import(
    "@aws-sdk/client-sqs"
  );
  const seen = new Map<string, Message>();
  for (let round = 0; round < 30; round += 1) {
    const output = await environment.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: s.dlqUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ["All"],
      }),
    );
    const messages = output.Messages ?? [];
    if (messages.length === 0) break;
    for (const message of messages) seen.set(message.MessageId ?? "", message);
  }
  const all = [...seen.values()];
  for (let index = 0; index < all.length; index += 10) {
    await environment.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: s.dlqUrl,
        Entries: all.slice(index, index + 10).map((message, i) => ({
          Id: String(i),
          ReceiptHandle: message.ReceiptHandle ?? "",
          VisibilityTimeout: 0,
        })),
      }),
    );
  }
  return all;
}

function memoryAudit(): AuditSink & { lines: { action: AuditAction }[] } {
  const lines: { action: AuditAction }[] = [];
  return {
    lines,
    write: async (action, fields) => {
      lines.push({ action, ...fields });
    },
  };
}

describe("mass-offboarding guard", () => {
  it("applies exactly the threshold, holds the rest with held_by_guard, and applies all after release + redrive", async () => {
    const { s, store, ledger } = await guardedScenario(50);
    const wave = people("wave", 60);
    for (const person of wave) await s.send(offboard(person.subject, person.data));
    await s.drain({ maxRounds: 40 });

    const applied = s.outcomes.filter((o) => o.outcome === "applied");
    const held = s.outcomes.filter((o) => o.outcome === "dead_lettered");
    expect(applied).toHaveLength(50);
    expect(held).toHaveLength(10);
    expect(held.every((o) => o.reason === "held_by_guard")).toBe(true);
    expect(wave.filter((p) => p.accountEnabled() === false)).toHaveLength(50);
    expect(wave.filter((p) => p.osisActive() === false)).toHaveLength(50);

    // Reported once per trip, however many offboards it held.
    expect(metricTotal(s, "GuardTripped")).toBe(1);
    const tripLogs = s.logs
      .records()
      .filter((r) => String(r.message).startsWith("Mass-offboarding guard tripped"));
    expect(tripLogs).toHaveLength(1);

    const status = await readGuardStatus(store, Date.now());
    expect(status).toMatchObject({ state: "tripped", count: 50, threshold: 50 });

    const deadLetters = await peekDeadLetters(s);
    expect(deadLetters).toHaveLength(10);
    expect(deadLetters.map(reasonOf)).toEqual(Array(10).fill("held_by_guard"));

    const audit = memoryAudit();
    await releaseGuard({
      store,
      audit,
      operator: "test-operator",
      now: Date.now(),
    });
    expect(audit.lines.map((line) => line.action)).toEqual(["guard_released"]);
    expect(await readGuardStatus(store, Date.now())).toMatchObject({ state: "armed", count: 0 });

    const report = await redriveDeadLetters({
      sqs: environment.sqs,
      queueUrl: s.queueUrl,
      dlqUrl: s.dlqUrl,
      ledger,
      audit: memoryAudit(),
      selection: { reasons: ["held_by_guard"] },
      dryRun: false,
      includeStale: false,
      waitTimeSeconds: 0,
    });
    expect(report.outcomes.filter((o) => o.kind === "moved")).toHaveLength(10);
    await s.drain({ maxRounds: 20 });

    expect(s.outcomes.filter((o) => o.outcome === "applied")).toHaveLength(60);
    expect(wave.every((p) => p.accountEnabled() === false && p.osisActive() === false)).toBe(true);
    expect(await s.takeDeadLetters()).toHaveLength(0);
  });

  it("lets onboards through while tripped, and offboards that change nothing take no slot", async () => {
    const { s, store } = await guardedScenario(2);
    const alreadyOff = people("noop", 3, false);
    for (const person of alreadyOff) await s.send(offboard(person.subject, person.data));
    await s.drain();
    expect(await readGuardStatus(store, Date.now())).toMatchObject({ state: "armed", count: 0 });

    const wave = people("small-wave", 3);
    for (const person of wave) await s.send(offboard(person.subject, person.data));
    await s.drain();
    expect((await store.readState()).tripped).toBe(true);

    const joiners = people("joiner", 2, false);
    for (const person of joiners) await s.send(onboard(person.subject, person.data));
    await s.drain();
    expect(joiners.every((p) => p.accountEnabled() === true && p.osisActive() === true)).toBe(true);
    const joinerOutcomes = s.outcomes.filter((o) => o.subject?.startsWith("joiner"));
    expect(joinerOutcomes.map((o) => o.outcome)).toEqual(["applied", "applied"]);

    // Still tripped: a further offboard is held until an operator releases the guard.
    const late = people("late", 1)[0] as SeededPerson;
    await s.send(offboard(late.subject, late.data));
    await s.drain();
    expect(late.accountEnabled()).toBe(true);
    expect(s.outcomesOf(late.subject).map((o) => o.reason)).toEqual(["held_by_guard"]);
  });

  it("never exceeds the threshold with several invocations at once sharing the ledger", async () => {
    const { s, store } = await guardedScenario(5);
    const wave = people("race", 20);
    const ids: string[] = [];
    for (const person of wave) ids.push(await s.send(offboard(person.subject, person.data)));
    const messages = await s.receiveInOrder(ids);
    environment.accountPlatform.faults.setLatency(50);
    // Four invocations of five records each, all at once.
    await Promise.all([0, 5, 10, 15].map((start) => s.invoke(messages.slice(start, start + 5))));
    await s.drain();

    expect(s.outcomes.filter((o) => o.outcome === "applied")).toHaveLength(5);
    expect(
      s.outcomes.filter((o) => o.outcome === "dead_lettered" && o.reason === "held_by_guard"),
    ).toHaveLength(15);
    expect(wave.filter((p) => p.accountEnabled() === false)).toHaveLength(5);
    expect(metricTotal(s, "GuardTripped")).toBe(1);
    const status = await readGuardStatus(store, Date.now());
    expect(status.count).toBe(5);
  });

  it("holds onboards past CONSUMER_GUARD_ONBOARD_THRESHOLD (a mass re-enable), apart from offboards", async () => {
    const { s, store } = await guardedScenario(50, { CONSUMER_GUARD_ONBOARD_THRESHOLD: "3" });
    const alreadyOn = people("on-noop", 2, true);
    for (const person of alreadyOn) await s.send(onboard(person.subject, person.data));
    await s.drain();
    expect((await readGuardStatus(store, Date.now())).onboards).toMatchObject({ count: 0 });

    const rehires = people("rehire", 5, false);
    for (const person of rehires) await s.send(onboard(person.subject, person.data));
    await s.drain();
    expect(rehires.filter((p) => p.accountEnabled() === true)).toHaveLength(3);
    const held = s.outcomes.filter(
      (o) => o.subject?.startsWith("rehire") && o.outcome !== "applied",
    );
    expect(held.map((o) => o.reason)).toEqual(["held_by_guard", "held_by_guard"]);
    expect(metricTotal(s, "GuardTripped")).toBe(1);

    // Offboards keep their own count: a mass re-enable does not stop a leaver's offboard.
    const leaver = people("leaver", 1)[0] as SeededPerson;
    await s.send(offboard(leaver.subject, leaver.data));
    await s.drain();
    expect(leaver.accountEnabled()).toBe(false);
    const status = await readGuardStatus(store, Date.now());
    expect(status).toMatchObject({
      state: "armed",
      count: 1,
      onboards: { state: "tripped", count: 3, threshold: 3 },
    });

    await releaseGuard({ store, audit: memoryAudit(), operator: "op", now: Date.now() });
    expect((await readGuardStatus(store, Date.now())).onboards).toMatchObject({
      state: "armed",
      count: 0,
    });
  });

  it("is off with a threshold of 0", async () => {
    const { s, store } = await guardedScenario(0);
    const wave = people("off", 4);
    for (const person of wave) await s.send(offboard(person.subject, person.data));
    await s.drain();
    await s.dependencies.settingsRecording?.settled();
    expect(s.outcomes.filter((o) => o.outcome === "applied")).toHaveLength(4);
    // The consumer recorded its settings with its first batch, so `guard status` says the
    // guard is off.
    expect(await readGuardStatus(store, Date.now())).toMatchObject({
      state: "disabled",
      threshold: 0,
      settingsFrom: "consumer",
    });
    expect((await store.readState()).tripped).toBe(false);
  });
});
