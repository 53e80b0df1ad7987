import { describe, expect, it } from "vitest";
import { createConsumerHandler } from "../../../../functions/consumer/create-handler.ts";
import { DLQ_ATTRIBUTES } from "../../../../shared/contract/dead-letter-attributes.ts";
import type { DeadLetter } from "../../../../shared/runtime/dlq/dead-letter-message.ts";
import { deadLetterDeduplicationId } from "../../../../shared/runtime/events/deduplication-id.ts";
import type { ConsumerEnvironment, Scenario } from "../../../support/consumer-environment.ts";
import { useConsumerEnvironment } from "../../../support/consumer-suite.ts";
import { offboard } from "../../../support/lifecycle-events.ts";
import { seedPerson } from "../../../support/people.ts";

/**
 * The consumer's steps around a dead letter: (a) the decision is written to the ledger, (b) the
 * letter is sent, (c) the ledger records it, (d) SQS deletes the message. Here the consumer is
 * interrupted between two of them, and SQS delivers the same message again.
 */

let environment: ConsumerEnvironment;
const scenario = useConsumerEnvironment({
  started: (started) => {
    environment = started;
  },
});

type Handler = Scenario["handler"];

/** The consumer with its DLQ send wrapped: what happens around the real send. */
function handlerSending(
  s: Scenario,
  send: (deadLetter: DeadLetter, realSend: () => Promise<unknown>) => Promise<unknown>,
): Handler {
  const real = s.dependencies.deadLetters;
  return createConsumerHandler({
    ...s.dependencies,
    deadLetters: { send: (deadLetter) => send(deadLetter, () => real.send(deadLetter)) },
  });
}

/** The invocation did its work but died before the event source mapping deleted anything. */
function diesBeforeTheDelete(s: Scenario): Handler {
  const died = (async (event, context) => {
    await s.handler(event, context);
    return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) };
  }) as Handler;
  return died;
}

const INTERRUPTIONS: { between: string; subject: string; handler: (s: Scenario) => Handler }[] = [
  {
    between: "the decision and the send",
    subject: "crash-before-send",
    handler: (s) =>
      handlerSending(s, async () => {
        throw new Error("interrupted before the send");
      }),
  },
  {
    between: "the send and the ledger's record of it",
    subject: "crash-after-send",
    handler: (s) =>
      handlerSending(s, async (_letter, realSend) => {
        await realSend();
        throw new Error("interrupted after the send");
      }),
  },
  {
    between: "the ledger's record and the delete",
    subject: "crash-before-delete",
    handler: diesBeforeTheDelete,
  },
];

describe("consumer: interrupted around a dead letter", () => {
  it.each(INTERRUPTIONS)(
    "between $between: the redelivery leaves one letter in the DLQ, with the same deduplication id, and calls no platform",
    async ({ subject, handler }) => {
      const s = await scenario();
      const person = seedPerson(environment, subject);
      environment.accountPlatform.faults.add({
        operation: "setEnabled",
        status: 503,
        times: Number.POSITIVE_INFINITY,
      });
      const messageId = await s.send(offboard(person.subject, person.data));

      // Attempts 1 and 2 fail (5xx); attempt 3 (the limit) ends in the DLQ, interrupted.
      for (let attempt = 1; attempt < 3; attempt += 1) {
        const messages = await s.receive({ waitSeconds: 1 });
        await s.invoke(messages);
        await s.visibleAgain(messages);
      }
      const third = await s.receive({ waitSeconds: 1 });
      await s.invoke(third, { handler: handler(s) });
      await s.visibleAgain(third);

      // By the redelivery the user is gone: trying the event again would make a second letter.
      environment.accountPlatform.faults.clear();
      environment.accountPlatform.faults.add({
        operation: "getUser",
        status: 404,
        times: Number.POSITIVE_INFINITY,
      });
      environment.accountPlatform.calls.clear();
      environment.osis.calls.clear();
      const { messages } = await s.deliver({ waitSeconds: 1 });
      expect(messages.map((m) => m.MessageId)).toEqual([messageId]);

      expect(await s.queueDepth()).toBe(0);
      const letters = await s.takeDeadLetters();
      expect(letters).toHaveLength(1);
      expect(letters[0]?.Attributes?.MessageDeduplicationId).toBe(
        deadLetterDeduplicationId(messageId, 3),
      );
      expect(letters[0]?.MessageAttributes?.[DLQ_ATTRIBUTES.reason]?.StringValue).toBe(
        "retries_exhausted",
      );
      expect(environment.accountPlatform.calls.count("getUser")).toBe(0);
      expect(environment.osis.calls.count("getUser")).toBe(0);
      const history = (await environment.ledger.getPerson(person.subject))?.history ?? [];
      expect(history.filter((entry) => entry.outcome === "dead_lettered")).toHaveLength(1);
      expect(history.filter((entry) => entry.outcome === "applied")).toHaveLength(0);
    },
  );
});

describe("consumer: the ledger refuses to record a dead letter already sent", () => {
  it("the message is acknowledged (a retry could only send it again), and a redrive of it is applied", async () => {
    const s = await scenario();
    const person = seedPerson(environment, "ledger-refused-after-send");
    environment.accountPlatform.faults.add({ operation: "getUser", status: 404 });
    const event = offboard(person.subject, person.data);
    await s.send(event);
    // Just after the send, another invocation takes the claim over, as if ours had lapsed.
    const handler = handlerSending(s, async (_letter, realSend) => {
      const sent = await realSend();
      const now = Date.now();
      const later = now + 3_600_000;
      await environment.ledger.claim(person.subject, {
        owner: "intruder",
        expiresAt: now,
        now: later,
      });
      return sent;
    });
    await s.invoke(await s.receive({ waitSeconds: 1 }), { handler });

    expect(s.outcomesOf(person.subject)).toEqual([
      expect.objectContaining({ outcome: "dead_lettered", reason: "not_found" }),
    ]);
    expect(await s.queueDepth()).toBe(0);
    expect(s.logs.records().map((line) => line.message)).toContain(
      "The dead letter was sent, but the ledger could not record it",
    );
    const [letter, ...more] = await s.takeDeadLetters();
    expect(more).toEqual([]);

    // The operator redrives it (a new message); the user is found now.
    await s.send(letter?.Body ?? "", { groupId: person.subject, deduplicationId: "redriven" });
    await s.deliver();
    expect(await s.queueDepth()).toBe(0);
    expect(s.outcomesOf(person.subject).map((o) => o.outcome)).toEqual([
      "dead_lettered",
      "applied",
    ]);
    expect(person.accountEnabled()).toBe(false);
    expect(await s.takeDeadLetters()).toEqual([]);
  });
});
