import { describe, expect, it } from "vitest";
import type { ConsumerEnvironment } from "../../../support/consumer-environment.ts";
import { useConsumerEnvironment } from "../../../support/consumer-suite.ts";
import { offboard, onboard } from "../../../support/lifecycle-events.ts";
import { OSIS_TENANT_ID, seedPerson } from "../../../support/people.ts";

let environment: ConsumerEnvironment;
const scenario = useConsumerEnvironment({
  started: (started) => {
    environment = started;
  },
});

const writes = () => ({
  accountPlatform: environment.accountPlatform.calls.count("setEnabled"),
  osis: environment.osis.calls.count("setActive"),
});

describe("consumer: applying events", () => {
  it("offboard disables both targets; the same event re-sent later as a new message writes nothing", async () => {
    const s = await scenario();
    const person = seedPerson(environment, "apply-offboard");
    const event = offboard(person.subject, person.data);

    await s.send(event);
    await s.deliver({ waitSeconds: 0 });
    expect(person.accountEnabled()).toBe(false);
    expect(person.osisActive()).toBe(false);
    expect(writes()).toEqual({ accountPlatform: 1, osis: 1 });

    // Past SQS's five-minute deduplication window the same event is a new message: a new
    // deduplication id stands in for the passing of time.
    await s.send(event, { deduplicationId: "later-than-five-minutes" });
    await s.deliver({ waitSeconds: 0 });
    expect(writes()).toEqual({ accountPlatform: 1, osis: 1 });
    expect(s.outcomesOf(person.subject).map((o) => o.outcome)).toEqual(["applied", "duplicate"]);

    const ledger = await environment.ledger.getPerson(person.subject);
    expect(ledger).toMatchObject({
      newestApplied: { id: event.id, source: event.source, time: Date.parse(event.time) },
      desiredEnabled: false,
      resolved: {
        accountPlatform: { userId: person.accountUser.id },
        osis: { tenantId: OSIS_TENANT_ID, userId: `osis-${person.subject}` },
      },
    });
    expect(ledger?.history.map((entry) => entry.outcome)).toEqual(["duplicate", "applied"]);
    expect(ledger?.claim).toBeUndefined();
    expect(await s.queueDepth()).toBe(0);
  });

  it("does not write a user already in the wanted state", async () => {
    const s = await scenario();
    const person = seedPerson(environment, "apply-already", { enabled: false });
    await s.send(offboard(person.subject, person.data));
    await s.deliver({ waitSeconds: 0 });
    expect(writes()).toEqual({ accountPlatform: 0, osis: 0 });
    expect(s.outcomesOf(person.subject)).toEqual([
      expect.objectContaining({ outcome: "applied", written: [] }),
    ]);
  });

  it("acknowledges a stale event (older time than the applied one) without writes", async () => {
    const s = await scenario();
    const person = seedPerson(environment, "apply-stale", { enabled: false });
    const older = offboard(person.subject, person.data);
    const newer = onboard(person.subject, person.data);
    await s.send(newer);
    await s.deliver({ waitSeconds: 0 });
    expect(person.accountEnabled()).toBe(true);
    const before = writes();

    await s.send(older);
    await s.deliver({ waitSeconds: 0 });
    expect(writes()).toEqual(before);
    expect(person.accountEnabled()).toBe(true);
    expect(person.osisActive()).toBe(true);
    expect(s.outcomesOf(person.subject).map((o) => o.outcome)).toEqual(["applied", "stale"]);
    expect(await s.queueDepth()).toBe(0);
    expect((await environment.ledger.getPerson(person.subject))?.newestApplied?.id).toBe(newer.id);
  });

  it("[offboard t1, onboard t2] of one person in one batch ends enabled", async () => {
    const s = await scenario();
    const person = seedPerson(environment, "apply-pair");
    const ids = await s.sendSpread([
      offboard(person.subject, person.data),
      onboard(person.subject, person.data),
    ]);
    const messages = await s.receiveInOrder(ids);
    await s.invoke(messages, {
      groups: { [ids[0] ?? ""]: person.subject, [ids[1] ?? ""]: person.subject },
    });
    expect(s.outcomesOf(person.subject).map((o) => `${o.eventType}:${o.outcome}`)).toEqual([
      "user.offboarded:applied",
      "user.onboarded:applied",
    ]);
    expect(person.accountEnabled()).toBe(true);
    expect(person.osisActive()).toBe(true);
    expect(writes()).toEqual({ accountPlatform: 2, osis: 2 });
  });

  it("processes ten people concurrently (peak in-flight platform calls)", async () => {
    const s = await scenario({ CONSUMER_GROUP_CONCURRENCY: "10" });
    const people = Array.from({ length: 10 }, (_, i) => seedPerson(environment, `apply-many-${i}`));
    const ids: string[] = [];
    for (const person of people) ids.push(await s.send(offboard(person.subject, person.data)));
    const messages = await s.receiveInOrder(ids);
    environment.accountPlatform.faults.setLatency(200);
    environment.osis.faults.setLatency(200);
    environment.accountPlatform.calls.resetPeak();
    environment.osis.calls.resetPeak();

    const response = await s.invoke(messages);
    expect(response.batchItemFailures).toEqual([]);
    for (const person of people) {
      expect(person.accountEnabled()).toBe(false);
      expect(person.osisActive()).toBe(false);
    }
    // One at a time would never have more than one call in flight.
    expect(environment.accountPlatform.calls.peakInFlight).toBeGreaterThanOrEqual(5);
    expect(environment.osis.calls.peakInFlight).toBeGreaterThanOrEqual(5);
  });

  it("after the account platform was written and OSIS failed, a redelivery writes only OSIS", async () => {
    const s = await scenario();
    const person = seedPerson(environment, "apply-partial");
    environment.osis.faults.add({ operation: "setActive", status: 503, times: 1 });
    await s.send(offboard(person.subject, person.data));
    await s.deliver({ waitSeconds: 0 });
    expect(person.accountEnabled()).toBe(false);
    expect(person.osisActive()).toBe(true);
    expect(s.outcomesOf(person.subject)).toEqual([
      expect.objectContaining({ outcome: "retried", target: "osis", status: 503, attempts: 1 }),
    ]);
    expect((await environment.ledger.getPerson(person.subject))?.inProgress?.done).toEqual([
      "account-platform",
    ]);

    environment.accountPlatform.calls.clear();
    environment.osis.calls.clear();
    await s.drain();
    expect(person.osisActive()).toBe(false);
    expect(environment.accountPlatform.calls.all()).toEqual([]);
    expect(environment.osis.calls.count("setActive")).toBe(1);
    expect(s.outcomesOf(person.subject).at(-1)).toMatchObject({
      outcome: "applied",
      attempts: 2,
      written: ["osis"],
    });
  });

  it("puts the record's event keys on every line logged while it is processed, batch neighbours apart", async () => {
    const s = await scenario({ DRY_RUN: "true" });
    const people = [seedPerson(environment, "keys-a"), seedPerson(environment, "keys-b")];
    const events = people.map((person) => offboard(person.subject, person.data));
    for (const event of events) await s.send(event);
    await s.deliver({ waitSeconds: 0 });
    // The dry run logs its plan with the consumer's own logger, which knows nothing of the record.
    const lines = s.logs.records().filter((r) => String(r.message).startsWith("Dry run"));
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const event = events.find((e) => e.subject === line.subject);
      expect(line).toMatchObject({ eventId: event?.id, eventType: event?.type });
      expect(line.messageId).toEqual(expect.any(String));
      // injectLambdaContext: the invocation's request id and cold start ride along too.
      expect(line).toMatchObject({
        function_request_id: expect.any(String),
        cold_start: expect.any(Boolean),
      });
    }
    expect(new Set(lines.map((line) => line.subject))).toEqual(
      new Set(events.map((e) => e.subject)),
    );
  });
});
