import { randomUUID } from "node:crypto";
import type { Message } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { DLQ_ATTRIBUTES } from "../../../../shared/contract/dead-letter-attributes.ts";
import { deadLetterDeduplicationId } from "../../../../shared/runtime/events/deduplication-id.ts";
import { type ConsumerEnvironment, TENANT_ID } from "../../../support/consumer-environment.ts";
import { useConsumerEnvironment } from "../../../support/consumer-suite.ts";
import { offboard, onboard } from "../../../support/lifecycle-events.ts";
import { seedPerson } from "../../../support/people.ts";
import { sqsAttributeProblems } from "../../../support/sqs-attribute-rules.ts";

let environment: ConsumerEnvironment;
const scenario = useConsumerEnvironment({
  started: (started) => {
    environment = started;
  },
});

function attributesOf(message: Message): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
      name,
      value.StringValue,
    ]),
  );
}

/** Message id → group, for records sent with `sendSpread` (see test/support). */
function asOneGroup(ids: readonly string[], group: string): Record<string, string> {
  return Object.fromEntries(ids.map((id) => [id, group]));
}

describe("consumer: version conflicts", () => {
  it("re-reads after one version conflict and succeeds", async () => {
    const s = await scenario();
    const person = seedPerson(environment, "conflict-once");
    environment.accountPlatform.faults.add({
      operation: "setEnabled",
      bumpVersion: true,
      times: 1,
    });
    await s.send(offboard(person.subject, person.data));
    await s.deliver({ waitSeconds: 0 });
    expect(person.accountEnabled()).toBe(false);
    expect(environment.accountPlatform.calls.count("setEnabled")).toBe(2);
    expect(s.outcomesOf(person.subject)).toEqual([expect.objectContaining({ outcome: "applied" })]);
  });

  it("a persistent conflict goes to the DLQ as version_conflict, body byte for byte", async () => {
    const s = await scenario({ CONSUMER_VERSION_CONFLICT_RETRIES: "2" });
    const person = seedPerson(environment, "conflict-always");
    environment.accountPlatform.faults.add({
      operation: "setEnabled",
      bumpVersion: true,
      times: Number.POSITIVE_INFINITY,
    });
    const event = offboard(person.subject, person.data);
    // Odd spacing and key order: the DLQ must keep the bytes, not a re-serialization.
    const body = `{ "data": ${JSON.stringify(event.data)},\n  ${JSON.stringify(event).slice(1)}\n`;
    const messageId = await s.send(body, { groupId: person.subject });
    await s.deliver({ waitSeconds: 0 });

    expect(environment.accountPlatform.calls.count("setEnabled")).toBe(3);
    expect(person.accountEnabled()).toBe(true);
    expect(environment.osis.calls.count("setActive")).toBe(0);
    const [dead, ...more] = await s.takeDeadLetters();
    expect(more).toEqual([]);
    expect(dead?.Body).toBe(body);
    expect(dead?.Attributes?.MessageGroupId).toBe(person.subject);
    expect(dead?.Attributes?.MessageDeduplicationId).toBe(deadLetterDeduplicationId(messageId, 1));
    const attributes = attributesOf(dead as Message);
    expect(attributes).toMatchObject({
      [DLQ_ATTRIBUTES.reason]: "version_conflict",
      [DLQ_ATTRIBUTES.target]: "account-platform",
      [DLQ_ATTRIBUTES.status]: "409",
      [DLQ_ATTRIBUTES.attempts]: "1",
      [DLQ_ATTRIBUTES.sourceMessageId]: messageId,
    });
    expect(attributes[DLQ_ATTRIBUTES.detail]).toMatch(/version conflict/);
    expect(Date.parse(attributes[DLQ_ATTRIBUTES.at] ?? "")).not.toBeNaN();
    expect(attributes[DLQ_ATTRIBUTES.redriveCount]).toBeUndefined();
    expect(Object.keys(attributes).every((name) => name.startsWith("lifecycle."))).toBe(true);
    expect(await s.queueDepth()).toBe(0);
    expect((await environment.ledger.getPerson(person.subject))?.history[0]).toMatchObject({
      outcome: "dead_lettered",
      reason: "version_conflict",
    });

    const metrics = s.metrics.lines.map((line) => JSON.parse(line));
    const named = (name: string) => metrics.filter((m) => m[name] !== undefined);
    expect(named("EventOutcome")).toEqual([
      expect.objectContaining({ service: "consumer", outcome: "dead_lettered", EventOutcome: 1 }),
    ]);
    expect(named("DeadLettered")).toEqual([
      expect.objectContaining({
        reason: "version_conflict",
        target: "account-platform",
        DeadLettered: 1,
      }),
    ]);
    expect(named("PlatformLatency").map((m) => m.operation)).toEqual(
      expect.arrayContaining(["getUser", "setEnabled"]),
    );
    expect(named("DeadLettered")[0]?._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: "HrLifecycleSync",
      Dimensions: [["service", "reason", "target"]],
    });
  });
});

describe("consumer: FIFO order after a failure", () => {
  it("record 2 of group A fails: records 3+ of A are untried and reach no platform; group B completes", async () => {
    const s = await scenario();
    const a = seedPerson(environment, "fifo-a");
    const b = seedPerson(environment, "fifo-b");
    // Only a2 looks its OSIS user up by cd user id, and that lookup is failing.
    const a2Data = { ...a.data, osis: { cdUserId: `cd-${a.subject}` } };
    const events = [
      offboard(a.subject, a.data),
      onboard(a.subject, a2Data),
      offboard(a.subject, a.data),
      onboard(a.subject, a.data),
      offboard(b.subject, b.data),
      onboard(b.subject, b.data),
    ];
    const aIds = await s.sendSpread(events.slice(0, 4));
    const bIds = await s.sendSpread(events.slice(4));
    const groups = { ...asOneGroup(aIds, a.subject), ...asOneGroup(bIds, b.subject) };
    const messages = await s.receiveInOrder([...aIds, ...bIds]);
    environment.osis.faults.add({
      operation: "queryUsers",
      status: 503,
      times: Number.POSITIVE_INFINITY,
    });

    const response = await s.invoke(messages, { groups });
    const byEvent = new Map(s.outcomes.map((o) => [o.eventId, o]));
    const [a1, a2, a3, a4, b1, b2] = events.map((e) => byEvent.get(e.id));
    expect(a1?.outcome).toBe("applied");
    expect(a2).toMatchObject({ outcome: "retried", cause: "transient", target: "osis" });
    expect(a3).toMatchObject({ outcome: "untried", cause: "after_group_failure" });
    expect(a4).toMatchObject({ outcome: "untried", cause: "after_group_failure" });
    expect([b1?.outcome, b2?.outcome]).toEqual(["applied", "applied"]);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      [a2, a3, a4].map((o) => o?.messageId).sort(),
    );

    // a3 and a4 never reached a platform. a2's OSIS lookup failed for now, but the account
    // platform is independent of it: a2 enabled the account at once.
    const aCalls = environment.accountPlatform.calls
      .all()
      .filter((call) => call.path.includes(a.accountUser.id));
    expect(aCalls.map((call) => call.operation)).toEqual([
      "getUser",
      "setEnabled",
      "getUser",
      "setEnabled",
    ]);
    expect(a.accountEnabled()).toBe(true);

    // The failed record waits its backoff; the untried ones are released at once.
    const handleOf = (messageId: string | undefined) =>
      messages.find((m) => m.MessageId === messageId)?.ReceiptHandle;
    const visibility = new Map(
      s.visibilityChanges.map((c) => [c.receiptHandle, c.visibilityTimeout]),
    );
    expect(visibility.get(handleOf(a2?.messageId) ?? "")).toBe(1);
    expect(visibility.get(handleOf(a3?.messageId) ?? "")).toBe(0);
    expect(visibility.get(handleOf(a4?.messageId) ?? "")).toBe(0);

    // SQS redelivers the rest of group A in order once a2's backoff is over.
    environment.osis.faults.clear();
    await s.invoke(await s.receiveInOrder(aIds.slice(1)), { groups });
    expect(await s.queueDepth()).toBe(0);
    expect(
      s
        .outcomesOf(a.subject)
        .filter((o) => o.outcome === "applied")
        .map((o) => o.eventId),
    ).toEqual([a1?.eventId, a2?.eventId, a3?.eventId, a4?.eventId]);
    expect(a.accountEnabled()).toBe(true);
    expect(a.osisActive()).toBe(true);
  });
});

describe("consumer: transient failures", () => {
  it("5xx: backoff, untried released, retries_exhausted at the limit; the waiting record is never dead-lettered", async () => {
    const s = await scenario({ CONSUMER_MAX_ATTEMPTS: "3" });
    const person = seedPerson(environment, "transient-5xx");
    environment.accountPlatform.faults.add({
      operation: "setEnabled",
      status: 503,
      times: Number.POSITIVE_INFINITY,
    });
    const failing = offboard(person.subject, person.data);
    const waiting = onboard(person.subject, person.data);
    const ids = await s.sendSpread([failing, waiting]);
    const groups = asOneGroup(ids, person.subject);

    const first = await s.receiveInOrder(ids);
    await s.invoke(first, { groups });
    const handles = new Map(first.map((m) => [m.ReceiptHandle, m.MessageId]));
    expect(
      s.visibilityChanges.map((c) => [handles.get(c.receiptHandle), c.visibilityTimeout]),
    ).toEqual([
      [ids[0], 1],
      [ids[1], 0],
    ]);
    // Redelivered together, in order, until the failing one leaves the group.
    await s.invoke(await s.receiveInOrder(ids), { groups });
    await s.invoke(await s.receiveInOrder(ids), { groups });
    expect(await s.queueDepth()).toBe(0);

    const outcomes = s.outcomesOf(person.subject);
    expect(
      outcomes.filter((o) => o.eventId === failing.id).map((o) => [o.outcome, o.attempts]),
    ).toEqual([
      ["retried", 1],
      ["retried", 2],
      ["dead_lettered", 3],
    ]);
    // The second backoff doubled (base 1 s, cap 2 s).
    expect(outcomes.filter((o) => o.eventId === failing.id)[1]?.visibilityTimeoutSeconds).toBe(2);
    const waited = outcomes.filter((o) => o.eventId === waiting.id);
    expect(waited.map((o) => o.outcome)).toEqual(["untried", "untried", "applied"]);

    const deadLetters = await s.takeDeadLetters();
    expect(deadLetters).toHaveLength(1);
    expect(JSON.parse(deadLetters[0]?.Body ?? "{}").id).toBe(failing.id);
    expect(attributesOf(deadLetters[0] as Message)).toMatchObject({
      [DLQ_ATTRIBUTES.reason]: "retries_exhausted",
      [DLQ_ATTRIBUTES.target]: "account-platform",
      [DLQ_ATTRIBUTES.status]: "503",
      [DLQ_ATTRIBUTES.attempts]: "3",
    });
  });

  it("a write refused with 429 is asked again in place after Retry-After and applied", async () => {
    const s = await scenario();
    const person = seedPerson(environment, "transient-429-short");
    environment.osis.faults.add({ operation: "setActive", status: 429, retryAfter: "1" });
    await s.send(offboard(person.subject, person.data));
    await s.deliver({ waitSeconds: 0 });
    expect(s.outcomesOf(person.subject)).toEqual([expect.objectContaining({ outcome: "applied" })]);
    expect(environment.osis.calls.count("setActive")).toBe(2);
    expect(person.osisActive()).toBe(false);
  });

  it("429 asking for longer than the client waits: the visibility timeout honours it", async () => {
    const s = await scenario();
    const person = seedPerson(environment, "transient-429");
    environment.osis.faults.add({
      operation: "setActive",
      status: 429,
      retryAfter: "3",
      times: 1,
    });
    await s.send(offboard(person.subject, person.data));
    await s.deliver({ waitSeconds: 0 });
    expect(s.outcomesOf(person.subject)).toEqual([
      expect.objectContaining({
        outcome: "retried",
        status: 429,
        target: "osis",
        visibilityTimeoutSeconds: 3,
      }),
    ]);
    expect(s.visibilityChanges.map((c) => c.visibilityTimeout)).toEqual([3]);
    await s.drain();
    expect(person.osisActive()).toBe(false);
  });

  it("a platform timeout is a transient failure, applied on redelivery", async () => {
    const s = await scenario();
    const person = seedPerson(environment, "transient-timeout");
    environment.accountPlatform.faults.add({
      operation: "setEnabled",
      latencyMs: 1_500,
      times: 1,
    });
    await s.send(offboard(person.subject, person.data));
    await s.deliver({ waitSeconds: 0 });
    expect(s.outcomesOf(person.subject)).toEqual([
      expect.objectContaining({
        outcome: "retried",
        cause: "transient",
        target: "account-platform",
      }),
    ]);
    await s.drain();
    expect(person.accountEnabled()).toBe(false);
    expect(s.outcomesOf(person.subject).at(-1)?.outcome).toBe("applied");
  });
});

describe("consumer: permanent failures", () => {
  it("404 → not_found; two exact login matches → ambiguous_user; not JSON → invalid_event", async () => {
    const s = await scenario();
    const missing = offboard("perm-missing", { accountPlatform: { userId: randomUUID() } });
    environment.accountPlatform.seedUser({ login: "twin@example.com", tenant_id: TENANT_ID });
    environment.accountPlatform.seedUser({ login: "TWIN@example.com", tenant_id: TENANT_ID });
    const ambiguous = offboard("perm-twin", { accountPlatform: { login: "twin@example.com" } });
    const garbage = "this is not { json";
    await s.send(missing);
    await s.send(ambiguous);
    const garbageId = await s.send(garbage, { groupId: "perm-garbage" });
    await s.drain();

    const deadLetters = await s.takeDeadLetters();
    const byBody = new Map(deadLetters.map((m) => [m.Body, m]));
    expect(attributesOf(byBody.get(JSON.stringify(missing)) as Message)).toMatchObject({
      [DLQ_ATTRIBUTES.reason]: "not_found",
      [DLQ_ATTRIBUTES.target]: "account-platform",
      [DLQ_ATTRIBUTES.status]: "404",
    });
    expect(attributesOf(byBody.get(JSON.stringify(ambiguous)) as Message)).toMatchObject({
      [DLQ_ATTRIBUTES.reason]: "ambiguous_user",
      [DLQ_ATTRIBUTES.target]: "account-platform",
    });
    const invalid = byBody.get(garbage) as Message;
    expect(invalid.Attributes?.MessageGroupId).toBe("invalid");
    expect(attributesOf(invalid)).toMatchObject({
      [DLQ_ATTRIBUTES.reason]: "invalid_event",
      [DLQ_ATTRIBUTES.attempts]: "1",
      [DLQ_ATTRIBUTES.sourceMessageId]: garbageId,
    });
    expect(attributesOf(invalid)[DLQ_ATTRIBUTES.target]).toBeUndefined();
    expect(deadLetters).toHaveLength(3);
    expect(await s.queueDepth()).toBe(0);
  });

  it("a poison body (a non-character escaped in a key) is invalid_event on its first delivery, and the person's next event follows", async () => {
    const s = await scenario();
    const person = seedPerson(environment, "poison-key");
    // Raw JSON text: the escape reaches the consumer as U+FFFE, and zod's message repeats the
    // key. In a whole envelope, so the problem is the first (and only) one the detail names.
    const envelope = JSON.stringify({ ...offboard(person.subject, person.data), data: {} });
    const poison = envelope.replace('"data":{}', '"data":{"\\uFFFE":1}');
    const poisonId = await s.send(poison, { groupId: person.subject });
    await s.send(offboard(person.subject, person.data));

    await s.deliver({ waitSeconds: 0 });
    expect(s.outcomes.slice(0, 1)).toEqual([
      expect.objectContaining({
        messageId: poisonId,
        outcome: "dead_lettered",
        reason: "invalid_event",
      }),
    ]);
    expect(s.refusedSends).toEqual([]);
    const [dead, ...more] = await s.takeDeadLetters();
    expect(more).toEqual([]);
    expect(dead?.Body).toBe(poison);
    expect(sqsAttributeProblems(dead?.MessageAttributes ?? {}, dead?.Body)).toEqual([]);
    expect(attributesOf(dead as Message)).toMatchObject({
      [DLQ_ATTRIBUTES.reason]: "invalid_event",
      [DLQ_ATTRIBUTES.attempts]: "1",
      [DLQ_ATTRIBUTES.sourceMessageId]: poisonId,
    });
    expect(attributesOf(dead as Message)[DLQ_ATTRIBUTES.detail]).toContain("\uFFFD");

    await s.drain();
    expect(person.accountEnabled()).toBe(false);
    expect(s.outcomesOf(person.subject).map((o) => o.outcome)).toEqual([
      "dead_lettered",
      "applied",
    ]);
  });

  it("when the DLQ send fails, the record is reported failed and stays queued", async () => {
    const probe = await scenario();
    const missingDlq = probe.dlqUrl.replace(/[^/]+$/, "no-such-dlq.fifo");
    const s = await scenario({ DLQ_URL: missingDlq });
    const event = offboard("perm-no-dlq", { accountPlatform: { userId: randomUUID() } });
    const messageId = await s.send(event);
    const { response } = await s.deliver({ waitSeconds: 0 });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: messageId }]);
    expect(s.outcomes).toEqual([
      expect.objectContaining({ outcome: "retried", cause: "dead_letter_send_failed" }),
    ]);
    expect(await s.queueDepth()).toBe(1);
    // The decision is kept, so the next delivery sends the same dead letter.
    expect(
      (await environment.ledger.getPerson("perm-no-dlq"))?.inProgress?.pendingDeadLetter,
    ).toMatchObject({ reason: "not_found", attempt: 1, messageId });
  });
});
