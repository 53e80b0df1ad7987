import type { Message } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { DLQ_ATTRIBUTES } from "../../../../shared/contract/dead-letter-attributes.ts";
import { eventKey } from "../../../../shared/runtime/events/deduplication-id.ts";
import { CORRECTS_ATTRIBUTE } from "../../../../shared/runtime/events/source-ownership.ts";
import {
  CD_TENANT_ID,
  type ConsumerEnvironment,
  OTHER_TENANT_ID,
} from "../../../support/consumer-environment.ts";
import { useConsumerEnvironment } from "../../../support/consumer-suite.ts";
import { offboard, onboard } from "../../../support/lifecycle-events.ts";
import { OSIS_TENANT_ID, seedPerson } from "../../../support/people.ts";

let environment: ConsumerEnvironment;
const scenario = useConsumerEnvironment({
  started: (started) => {
    environment = started;
  },
});

const reasonOf = (message: Message | undefined) =>
  message?.MessageAttributes?.[DLQ_ATTRIBUTES.reason]?.StringValue;

describe("consumer: safety", () => {
  it("two invocations given one person's events at once never apply them out of order", async () => {
    const s = await scenario();
    const person = seedPerson(environment, "safety-contention");
    const earlier = offboard(person.subject, person.data);
    const later = onboard(person.subject, person.data);
    // Different message groups, so SQS lets both be in flight at once: only the ledger's
    // claim keeps the two invocations apart.
    const ids = [
      await s.send(earlier, { groupId: "contention-1" }),
      await s.send(later, { groupId: "contention-2" }),
    ];
    const [first, second] = (await s.receiveInOrder(ids)) as [Message, Message];
    environment.accountPlatform.faults.setLatency(150);
    environment.osis.faults.setLatency(150);

    await Promise.all([s.invoke([first]), s.invoke([second])]);
    expect(s.outcomes.filter((o) => o.cause === "claim_held")).toHaveLength(1);

    environment.accountPlatform.faults.setLatency(0);
    environment.osis.faults.setLatency(0);
    await s.drain();
    // Whichever won the claim, the later event is the one in effect.
    expect(person.accountEnabled()).toBe(true);
    expect(person.osisActive()).toBe(true);
    expect((await environment.ledger.getPerson(person.subject))?.newestApplied?.id).toBe(later.id);
    const outcomes = s.outcomesOf(person.subject).filter((o) => o.outcome !== "retried");
    expect(outcomes.map((o) => `${o.eventId === earlier.id ? "t1" : "t2"}:${o.outcome}`)).toEqual(
      expect.arrayContaining(["t2:applied"]),
    );
  });

  it("refuses a user in another tenant (outside_tenant) without writing", async () => {
    const s = await scenario();
    const person = seedPerson(environment, "safety-tenant", { tenantId: OTHER_TENANT_ID });
    await s.send(offboard(person.subject, person.data));
    await s.deliver({ waitSeconds: 0 });
    const [dead] = await s.takeDeadLetters();
    expect(reasonOf(dead)).toBe("outside_tenant");
    expect(dead?.MessageAttributes?.[DLQ_ATTRIBUTES.target]?.StringValue).toBe("account-platform");
    expect(person.accountEnabled()).toBe(true);
    expect(person.osisActive()).toBe(true);
    expect(environment.osis.calls.count("setActive")).toBe(0);
  });

  it("refuses to disable a protected login (protected), but may enable it", async () => {
    const s = await scenario({ PROTECTED_ACCOUNTS: "ops@example.com, Boss@Example.com" });
    const person = seedPerson(environment, "safety-protected", { login: "boss@example.com" });
    const byLogin = { ...person.data, accountPlatform: { login: "boss@example.com" } };
    await s.send(offboard(person.subject, byLogin));
    await s.deliver({ waitSeconds: 0 });
    const [dead] = await s.takeDeadLetters();
    expect(reasonOf(dead)).toBe("protected");
    expect(person.accountEnabled()).toBe(true);
    expect(environment.accountPlatform.calls.count("setEnabled")).toBe(0);
    expect(environment.osis.calls.count("setActive")).toBe(0);

    await s.send(onboard(person.subject, byLogin));
    await s.deliver({ waitSeconds: 0 });
    expect(s.outcomesOf(person.subject).at(-1)?.outcome).toBe("applied");
  });

  it("refuses an OSIS user whose cd tenant, as OSIS returned it, is not listed (outside_tenant)", async () => {
    const outsider = environment.osis.seedUser({
      tenant_id: OSIS_TENANT_ID,
      cd_user_id: "cd-outsider",
      cd_tenant_id: "cd-other",
      user_id: "osis-outsider",
      active: true,
    });
    const byId = { osis: { tenantId: OSIS_TENANT_ID, userId: "osis-outsider" } };
    const byCd = { osis: { cdUserId: "cd-outsider", cdTenantId: "cd-other" } };
    const s = await scenario();
    await s.send(offboard("safety-osis-tenant-1", byId));
    await s.send(offboard("safety-osis-tenant-2", byCd));
    await s.drain();
    const deadLetters = await s.takeDeadLetters();
    expect(deadLetters.map(reasonOf)).toEqual(["outside_tenant", "outside_tenant"]);
    for (const dead of deadLetters) {
      expect(dead.MessageAttributes?.[DLQ_ATTRIBUTES.target]?.StringValue).toBe("osis");
    }
    expect(environment.osis.calls.count("setActive")).toBe(0);

    const listed = await scenario({ OSIS_CD_TENANT_IDS: `${CD_TENANT_ID}, cd-other` });
    await listed.send(offboard("safety-osis-tenant-3", byCd));
    await listed.drain();
    expect(listed.outcomesOf("safety-osis-tenant-3").at(-1)?.outcome).toBe("applied");
    expect(environment.osis.user(OSIS_TENANT_ID, outsider.user_id ?? "")?.active).toBe(false);
  });

  it("compares PROTECTED_ACCOUNTS with the OSIS ids the platform returned, not the event's", async () => {
    const person = seedPerson(environment, "safety-protected-osis");
    const canonical = person.osisUser.canonical_user_id ?? "";
    const s = await scenario({ PROTECTED_ACCOUNTS: canonical.toUpperCase() });
    await s.send(offboard(person.subject, { osis: person.data.osis }));
    await s.deliver({ waitSeconds: 0 });
    const [dead] = await s.takeDeadLetters();
    expect(reasonOf(dead)).toBe("protected");
    expect(dead?.MessageAttributes?.[DLQ_ATTRIBUTES.target]?.StringValue).toBe("osis");
    expect(environment.osis.calls.count("setActive")).toBe(0);
    expect(person.osisActive()).toBe(true);
  });

  it("an invocation near its deadline reports unstarted records untried and releases them", async () => {
    const s = await scenario({ CONSUMER_DEADLINE_MARGIN_MS: "2000" });
    const one = seedPerson(environment, "safety-deadline-1");
    const two = seedPerson(environment, "safety-deadline-2");
    const messages = await s.receiveInOrder([
      await s.send(offboard(one.subject, one.data)),
      await s.send(offboard(two.subject, two.data)),
    ]);

    const response = await s.invoke(messages, { remainingMs: 1_500 });
    expect(response.batchItemFailures).toHaveLength(2);
    expect(s.outcomes.map((o) => [o.outcome, o.cause])).toEqual([
      ["untried", "deadline"],
      ["untried", "deadline"],
    ]);
    expect(s.visibilityChanges.map((c) => c.visibilityTimeout)).toEqual([0, 0]);
    expect(environment.accountPlatform.calls.all()).toEqual([]);
    expect(one.accountEnabled()).toBe(true);

    // Released at once: the next delivery applies them.
    await s.drain();
    expect(one.accountEnabled()).toBe(false);
    expect(two.accountEnabled()).toBe(false);
  });

  it("a record still running at the deadline is reported failed before it, never thrown", async () => {
    const s = await scenario({ CONSUMER_DEADLINE_MARGIN_MS: "1000" });
    const person = seedPerson(environment, "safety-stalled");
    const [message] = await s.receiveInOrder([await s.send(offboard(person.subject, person.data))]);
    // The ledger answers, but later than the invocation's end: its calls take no signal.
    environment.dynamoDbServer.faults.setLatency(4_000);

    const started = Date.now();
    const response = await s.invoke(message ? [message] : [], { remainingMs: 3_000 });
    environment.dynamoDbServer.faults.setLatency(0);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: message?.MessageId }]);
    expect(s.outcomes.map((o) => [o.outcome, o.cause])).toEqual([["retried", "deadline"]]);
    // Released when its claim lapses (with the invocation), not after the queue's timeout.
    expect(s.visibilityChanges.map((c) => c.visibilityTimeout)).toEqual([1]);

    await s.drain();
    expect(person.accountEnabled()).toBe(false);
    expect(person.osisActive()).toBe(false);
  });
});

describe("consumer: an event changes one person, never more", () => {
  it("refuses platform ids that would leave the user route (invalid_event), asking no platform", async () => {
    const s = await scenario();
    const person = seedPerson(environment, "boundary-dots");
    const bodies = [
      offboard(person.subject, { osis: { tenantId: person.osisUser.tenant_id, userId: ".." } }),
      offboard(person.subject, { osis: { tenantId: "..", userId: "x" } }),
      offboard(person.subject, { osis: { cdUserId: "a/b" } }),
    ];
    for (const body of bodies) await s.send(body);
    await s.drain();
    const deadLetters = await s.takeDeadLetters();
    expect(deadLetters.map(reasonOf)).toEqual(["invalid_event", "invalid_event", "invalid_event"]);
    expect(environment.osis.calls.all()).toEqual([]);
    expect(person.osisActive()).toBe(true);
  });

  it("ignores reconciliation's marker on an event from any other source", async () => {
    const s = await scenario();
    const person = seedPerson(environment, "boundary-marker");
    const victim = seedPerson(environment, "boundary-marker-victim");
    const genuine = offboard(person.subject, person.data);
    await s.send(genuine);
    await s.drain();
    const before = await environment.ledger.getPerson(person.subject);

    // Dated 2000 and naming another person's users: as a corrective event it would be applied.
    const forged = offboard(person.subject, victim.data, {
      time: "2000-01-01T00:00:00Z",
      [CORRECTS_ATTRIBUTE]: eventKey(genuine),
    });
    await s.send(forged);
    await s.drain();
    expect(s.outcomesOf(person.subject).at(-1)).toMatchObject({ outcome: "stale" });
    expect(victim.accountEnabled()).toBe(true);
    expect(victim.osisActive()).toBe(true);
    const after = await environment.ledger.getPerson(person.subject);
    expect(after?.resolved).toEqual(before?.resolved);
    expect(after?.newestApplied?.id).toBe(genuine.id);
  });

  it("refuses an event dated far ahead (invalid_event): a typo cannot lock a person out", async () => {
    const s = await scenario();
    const person = seedPerson(environment, "boundary-future");
    await s.send(offboard(person.subject, person.data, { time: "2062-11-23T09:00:00Z" }));
    await s.drain();
    const [dead] = await s.takeDeadLetters();
    expect(reasonOf(dead)).toBe("invalid_event");
    expect(dead?.MessageAttributes?.[DLQ_ATTRIBUTES.detail]?.StringValue).toMatch(
      /^\$\.time is more than 300 seconds ahead of now/,
    );
    expect(person.accountEnabled()).toBe(true);

    await s.send(offboard(person.subject, person.data));
    await s.drain();
    expect(s.outcomesOf(person.subject).at(-1)).toMatchObject({ outcome: "applied" });
    expect(person.accountEnabled()).toBe(false);
  });

  it("an event dated ahead does not hold back a genuine later one from another producer", async () => {
    const person = seedPerson(environment, "boundary-future-stale");
    // Within LIFECYCLE_MAX_FUTURE_SECONDS (300 by default): a producer whose clock runs ahead.
    const aheadBy4Minutes = new Date(Date.now() + 240_000).toISOString();
    const s = await scenario();
    await s.send(offboard(person.subject, person.data, { time: aheadBy4Minutes }));
    await s.drain();
    const genuine = onboard(person.subject, person.data, {
      source: "urn:test:other-hr",
      time: new Date().toISOString(),
    });
    await s.send(genuine);
    await s.drain();
    expect(s.outcomesOf(person.subject).map((outcome) => outcome.outcome)).toEqual([
      "applied",
      "applied",
    ]);
    expect(person.accountEnabled()).toBe(true);
    const record = await environment.ledger.getPerson(person.subject);
    expect(record?.newestApplied?.id).toBe(genuine.id);
    // Both kept: the early event was decided when it arrived, not at its `time`.
    const early = record?.history.find((entry) => entry.time === Date.parse(aheadBy4Minutes));
    expect(early?.arrivedAt).toBeLessThan(Date.parse(genuine.time));
    expect(early?.decidedAt).toBe(early?.arrivedAt);
  });
});
