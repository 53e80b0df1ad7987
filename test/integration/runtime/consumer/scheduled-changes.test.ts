import { describe, expect, it } from "vitest";
import { DLQ_ATTRIBUTES } from "../../../../shared/contract/dead-letter-attributes.ts";
import {
  cancelScheduledChange,
  listScheduledChanges,
} from "../../../../shared/operator/schedule/schedule-operations.ts";
import type { AuditSink } from "../../../../shared/runtime/audit/audit-log.ts";
import { eventKey } from "../../../../shared/runtime/events/deduplication-id.ts";
import { changeKey } from "../../../../shared/runtime/ledger/change-item.ts";
import { refOf } from "../../../../shared/runtime/ledger/person-ledger-rules.ts";
import { captureMetrics } from "../../../support/captured-logs.ts";
import type { ConsumerEnvironment, Scenario } from "../../../support/consumer-environment.ts";
import { useConsumerEnvironment } from "../../../support/consumer-suite.ts";
import { offboard, onboard } from "../../../support/lifecycle-events.ts";
import { type SeededPerson, seedPerson } from "../../../support/people.ts";
import { schedulerRun } from "../../../support/scheduler-run.ts";

let environment: ConsumerEnvironment;
const scenario = useConsumerEnvironment({
  started: (started) => {
    environment = started;
  },
});

const HOUR = 3_600_000;

/** A consumer and the real scheduler on one clock the test moves by hand. */
async function scheduledScenario(env: Record<string, string> = {}, startsInMs = 0) {
  const clock = { now: Date.now() + startsInMs };
  const now = () => clock.now;
  const s = await scenario(env, { now });
  const schedulerMetrics = captureMetrics();
  const runScheduler = schedulerRun(environment, s.queueUrl, now, schedulerMetrics.metrics);
  const inOneHour = () => new Date(clock.now + HOUR).toISOString();
  const advance = (ms: number) => {
    clock.now += ms;
  };
  /** A termination effective in an hour, then a rehire effective in two, both processed. */
  const terminationThenRehire = async (person: SeededPerson) => {
    const at = (ms: number) => new Date(clock.now + ms).toISOString();
    const termination = offboard(person.subject, { ...person.data, effectiveAt: at(HOUR) });
    const rehire = onboard(person.subject, { ...person.data, effectiveAt: at(2 * HOUR) });
    await s.send(termination);
    await s.send(rehire);
    await s.drain();
    return { termination, rehire };
  };
  return { s, clock, runScheduler, inOneHour, advance, schedulerMetrics, terminationThenRehire };
}

const outcomesOf = (s: Scenario, subject: string) =>
  s.outcomesOf(subject).map((outcome) => outcome.outcome);

describe("consumer: scheduled changes with the real scheduler", () => {
  it("records a future offboard without touching the platforms, and applies it once due", async () => {
    const { s, runScheduler, inOneHour, advance } = await scheduledScenario();
    const person = seedPerson(environment, "sched-due");
    const lastDay = offboard(person.subject, { ...person.data, effectiveAt: inOneHour() });
    await s.send(lastDay);
    await s.drain();
    expect(outcomesOf(s, person.subject)).toEqual(["scheduled"]);
    expect(person.accountEnabled()).toBe(true);
    expect(person.osisActive()).toBe(true);
    expect((await environment.ledger.getPerson(person.subject))?.pendingChanges?.[0]).toMatchObject(
      {
        id: lastDay.id,
        effectiveAt: Date.parse(lastDay.data.effectiveAt ?? ""),
      },
    );

    expect((await runScheduler()).enqueued).toBe(0);
    advance(HOUR);
    expect((await runScheduler()).enqueued).toBe(1);
    await s.drain();
    expect(outcomesOf(s, person.subject)).toEqual(["scheduled", "applied"]);
    expect(person.accountEnabled()).toBe(false);
    expect(person.osisActive()).toBe(false);
    const record = await environment.ledger.getPerson(person.subject);
    expect(record?.pendingChanges).toEqual([]);
    expect(record?.newestApplied?.id).toBe(lastDay.id);
    expect(record?.history.map((entry) => entry.outcome)).toEqual(["applied", "scheduled"]);
  });

  it("a rescind (a newer onboard) cancels the scheduled offboard: it is never applied", async () => {
    const { s, runScheduler, inOneHour, advance } = await scheduledScenario();
    const person = seedPerson(environment, "sched-rescind");
    const lastDay = offboard(person.subject, { ...person.data, effectiveAt: inOneHour() });
    const rescind = onboard(person.subject, person.data);
    await s.send(lastDay);
    await s.send(rescind);
    await s.drain();
    expect(outcomesOf(s, person.subject)).toEqual(["scheduled", "applied"]);

    advance(2 * HOUR);
    expect((await runScheduler()).enqueued).toBe(0);
    // A resend of the cancelled offboard, once due, is not applied either.
    await s.send(lastDay, { deduplicationId: "resent-after-the-rescind" });
    await s.drain();
    expect(outcomesOf(s, person.subject)).toEqual(["scheduled", "applied", "stale"]);
    expect(person.accountEnabled()).toBe(true);
    expect(person.osisActive()).toBe(true);
    const history = (await environment.ledger.getPerson(person.subject))?.history ?? [];
    expect(history.find((entry) => entry.outcome === "cancelled")).toMatchObject({
      id: lastDay.id,
      cancelledBy: JSON.stringify([rescind.source, rescind.id]),
    });
  });

  it("an operator's cancel wins even over a copy the scheduler already put back on the queue", async () => {
    const { s, runScheduler, inOneHour, advance } = await scheduledScenario();
    const person = seedPerson(environment, "sched-operator");
    await s.send(offboard(person.subject, { ...person.data, effectiveAt: inOneHour() }));
    await s.drain();
    advance(HOUR);
    expect((await runScheduler()).enqueued).toBe(1);
    const audited: unknown[] = [];
    const audit: AuditSink = { write: async (_action, fields) => void audited.push(fields) };
    await cancelScheduledChange({
      ledger: environment.ledger,
      subject: person.subject,
      operator: "ops",
      audit,
      now: Date.now(),
    });
    expect(audited).toHaveLength(1);
    await s.drain();
    expect(outcomesOf(s, person.subject)).toEqual(["scheduled", "cancelled"]);
    expect(person.accountEnabled()).toBe(true);
  });

  it("an offboard without effectiveAt revokes now and cancels the scheduled one", async () => {
    const { s, runScheduler, inOneHour, advance } = await scheduledScenario();
    const person = seedPerson(environment, "sched-revoke");
    await s.send(offboard(person.subject, { ...person.data, effectiveAt: inOneHour() }));
    await s.send(offboard(person.subject, person.data));
    await s.drain();
    expect(outcomesOf(s, person.subject)).toEqual(["scheduled", "applied"]);
    expect(person.accountEnabled()).toBe(false);
    expect((await environment.ledger.getPerson(person.subject))?.pendingChanges).toEqual([]);
    advance(2 * HOUR);
    expect((await runScheduler()).enqueued).toBe(0);
    expect(await s.queueDepth()).toBe(0);
  });

  it("changes that fell due while the scheduler was stopped are enqueued at its next run, once", async () => {
    const { s, runScheduler, inOneHour, advance, schedulerMetrics } = await scheduledScenario();
    const people = ["sched-down-1", "sched-down-2"].map((name) => seedPerson(environment, name));
    for (const person of people) {
      await s.send(offboard(person.subject, { ...person.data, effectiveAt: inOneHour() }));
    }
    await s.drain();
    // Stopped for three hours past the due time; then two runs close together.
    advance(4 * HOUR);
    const runs = await Promise.all([runScheduler(), runScheduler()]);
    expect(runs.reduce((sum, run) => sum + run.enqueued, 0)).toBe(2);
    expect((await runScheduler()).enqueued).toBe(0);
    expect(await s.queueDepth()).toBe(2);
    await s.drain();
    for (const person of people) {
      expect(outcomesOf(s, person.subject)).toEqual(["scheduled", "applied"]);
      expect(person.accountEnabled()).toBe(false);
    }
    // Three hours late: the lateness the DueChangeLate alarm watches.
    schedulerMetrics.metrics.flush();
    const lateness = schedulerMetrics.lines
      .map((line) => JSON.parse(line) as { DueChangeLateness?: number[] })
      .flatMap((line) => line.DueChangeLateness ?? []);
    expect(Math.max(...lateness)).toBeGreaterThanOrEqual(3 * HOUR);
  });

  it("a termination then a rehire effective later: both pending, the leaver is off between them", async () => {
    const { s, runScheduler, advance, terminationThenRehire } = await scheduledScenario();
    const person = seedPerson(environment, "sched-timeline");
    const { termination, rehire } = await terminationThenRehire(person);
    expect(outcomesOf(s, person.subject)).toEqual(["scheduled", "scheduled"]);
    const listed = await listScheduledChanges(environment.ledger);
    expect(listed.filter((change) => change.subject === person.subject).map((c) => c.id)).toEqual([
      termination.id,
      rehire.id,
    ]);

    advance(HOUR);
    expect((await runScheduler()).enqueued).toBe(1);
    await s.drain();
    expect(person.accountEnabled()).toBe(false);
    expect(person.osisActive()).toBe(false);
    advance(HOUR);
    expect((await runScheduler()).enqueued).toBe(1);
    await s.drain();
    expect(outcomesOf(s, person.subject)).toEqual(["scheduled", "scheduled", "applied", "applied"]);
    expect(person.accountEnabled()).toBe(true);
    expect((await environment.ledger.getPerson(person.subject))?.pendingChanges).toEqual([]);
    expect(await listScheduledChanges(environment.ledger)).not.toContainEqual(
      expect.objectContaining({ subject: person.subject }),
    );
  });

  it("an operator's cancel names the one change it cancels; the other still fires", async () => {
    const { s, runScheduler, clock, advance, terminationThenRehire } = await scheduledScenario();
    const person = seedPerson(environment, "sched-cancel-one");
    const { termination, rehire } = await terminationThenRehire(person);
    const audited: Record<string, unknown>[] = [];
    const audit: AuditSink = { write: async (_action, fields) => void audited.push(fields) };
    const cancel = (eventId?: string) =>
      cancelScheduledChange({
        ledger: environment.ledger,
        subject: person.subject,
        eventId,
        operator: "ops",
        audit,
        now: clock.now,
      });
    await expect(cancel()).rejects.toThrow(/2 pending changes: name the one/);
    expect((await cancel(rehire.id)).id).toBe(rehire.id);
    // In full: the body, as it arrived, could be sent again from the audit log.
    expect(audited).toEqual([
      expect.objectContaining({ id: rehire.id, body: JSON.stringify(rehire) }),
    ]);
    const record = await environment.ledger.getPerson(person.subject);
    expect(record?.pendingChanges?.map((change) => change.id)).toEqual([termination.id]);

    advance(3 * HOUR);
    expect((await runScheduler()).enqueued).toBe(1);
    await s.drain();
    expect(person.accountEnabled()).toBe(false);
  });

  it("the scheduler drops a change item its person does not list, and never enqueues it", async () => {
    const { s, runScheduler, clock } = await scheduledScenario();
    const person = seedPerson(environment, "sched-orphan");
    const lost = offboard(person.subject, person.data);
    // As if the consumer stopped between writing the change item and the person's item.
    await environment.ledger.putChange({
      ...refOf(lost),
      subject: person.subject,
      effectiveAt: clock.now - 1,
      scheduledAt: clock.now - HOUR,
      body: JSON.stringify(lost),
    });
    expect((await runScheduler()).enqueued).toBe(0);
    expect(await s.queueDepth()).toBe(0);
    const key = changeKey(person.subject, eventKey(lost));
    expect(await environment.ledger.getChange(key)).toBeUndefined();
  });

  // Last: the guard it trips stays tripped in the shared ledger.
  it("a due offboard that trips the mass-offboarding guard is held like any other", async () => {
    // A year ahead: a guard window of its own, which the other tests' offboards do not fill.
    const { s, runScheduler, inOneHour, advance } = await scheduledScenario(
      { CONSUMER_GUARD_THRESHOLD: "1" },
      365 * 24 * HOUR,
    );
    const people = ["sched-guard-1", "sched-guard-2"].map((name) => seedPerson(environment, name));
    for (const person of people) {
      await s.send(offboard(person.subject, { ...person.data, effectiveAt: inOneHour() }));
    }
    await s.drain();
    advance(HOUR);
    expect((await runScheduler()).enqueued).toBe(2);
    await s.drain();
    const held = await s.takeDeadLetters();
    expect(held.map((m) => m.MessageAttributes?.[DLQ_ATTRIBUTES.reason]?.StringValue)).toEqual([
      "held_by_guard",
    ]);
    expect(people.filter((person) => person.accountEnabled() === false)).toHaveLength(1);
  });
});
