import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerHandler } from "../../../../functions/consumer/create-handler.ts";
import {
  type EventBridgeServer,
  startEventBridgeServer,
} from "../../../../local/stand-ins/eventbridge-server.ts";
import { OUTCOME_DEFAULT_SOURCE } from "../../../../shared/contract/outcome-event.ts";
import {
  createEventBridgeClient,
  LOCAL_AWS_CREDENTIALS,
} from "../../../../shared/runtime/aws/aws-clients.ts";
import type { LifecycleEvent } from "../../../../shared/runtime/events/lifecycle-event.ts";
import { outcomeDetail } from "../../../../shared/runtime/outcomes/outcome-detail.ts";
import {
  OutcomePublisher,
  type PublishSummary,
} from "../../../../shared/runtime/outcomes/outcome-publisher.ts";
import type { ConsumerEnvironment, Scenario } from "../../../support/consumer-environment.ts";
import { useConsumerEnvironment } from "../../../support/consumer-suite.ts";
import { offboard } from "../../../support/lifecycle-events.ts";
import { checkedDetails } from "../../../support/outcome-schema.ts";
import { seedPerson } from "../../../support/people.ts";

/**
 * The consumer records an outcome in the ledger, then publishes it at the batch's end. Here the
 * invocation dies between the two, and SQS delivers the same message again
 * (consumer/redelivered-outcome.ts): the outcome is published then, once, as it was reached.
 */

let environment: ConsumerEnvironment;
const scenario = useConsumerEnvironment({
  started: (started) => {
    environment = started;
  },
});

let bus: EventBridgeServer;
beforeAll(async () => {
  bus = await startEventBridgeServer();
});
afterAll(async () => {
  await bus.stop();
});

/** The consumer publishing on the bus stand-in (`dies`: the invocation dies at its publish). */
function handlerPublishing(s: Scenario, options: { dies?: boolean } = {}): Scenario["handler"] {
  const publisher = new (options.dies ? DiesAtThePublish : OutcomePublisher)({
    bus: {
      client: createEventBridgeClient({
        endpoint: bus.endpoint,
        region: "us-east-1",
        credentials: LOCAL_AWS_CREDENTIALS,
      }),
      busName: "lifecycle-outcomes",
      source: OUTCOME_DEFAULT_SOURCE,
    },
    outbox: {
      keep: async () => {
        throw new Error("the bus stand-in is up: nothing is kept in the outbox");
      },
    },
    metrics: s.metrics.metrics,
    logger: s.logs.logger,
  });
  return createConsumerHandler({ ...s.dependencies, outcomePublisher: publisher });
}

/** The invocation is killed once its records are in the ledger, before anything is published. */
class DiesAtThePublish extends OutcomePublisher {
  override async publish(): Promise<PublishSummary> {
    throw new Error("the invocation was killed before its publish");
  }
}

function publishedFor(event: LifecycleEvent) {
  return checkedDetails(bus.events).filter((detail) => detail.event.id === event.id);
}

/** The id an uninterrupted publish gives the event's applied outcome, whatever its attempt. */
function appliedOutcomeId(event: LifecycleEvent): string {
  return outcomeDetail({
    outcome: "applied",
    at: 0,
    attempt: 1,
    event: { source: event.source, id: event.id },
    named: [],
  }).outcomeId;
}

describe("consumer: killed between the ledger's record of an outcome and its publish", () => {
  it("the redelivered message publishes the outcome once, as reached; a re-send of the event in a new message publishes nothing", async () => {
    const s = await scenario();
    const person = seedPerson(environment, "killed-before-publish");
    const event = offboard(person.subject, person.data);
    const messageId = await s.send(event);

    const first = await s.receive({ waitSeconds: 1 });
    await expect(
      s.invoke(first, { handler: handlerPublishing(s, { dies: true }) }),
    ).rejects.toThrow("killed");
    expect(person.accountEnabled()).toBe(false);
    expect(publishedFor(event)).toEqual([]);
    const applied = (await environment.ledger.getPerson(person.subject))?.history.find(
      (entry) => entry.outcome === "applied",
    );
    expect(applied).toMatchObject({ messageId, written: ["account-platform", "osis"] });

    await s.visibleAgain(first);
    const live = handlerPublishing(s);
    const redelivered = await s.receive({ waitSeconds: 1 });
    expect(redelivered.map((m) => m.MessageId)).toEqual([messageId]);
    await s.invoke(redelivered, { handler: live });

    expect(s.outcomesOf(person.subject).map((o) => o.outcome)).toEqual(["applied", "duplicate"]);
    expect(publishedFor(event)).toEqual([
      {
        outcomeId: appliedOutcomeId(event),
        outcome: "applied",
        at: new Date(applied?.at ?? 0).toISOString(),
        event: {
          id: event.id,
          source: event.source,
          subject: event.subject,
          type: event.type,
          time: event.time,
        },
        targets: [
          { target: "account-platform", result: "changed" },
          { target: "osis", result: "changed" },
        ],
      },
    ]);

    // The producer sends the event again, in a new message: a duplicate, with nothing to publish.
    await s.send(event, { deduplicationId: "sent-again" });
    await s.invoke(await s.receive({ waitSeconds: 1 }), { handler: live });
    expect(s.outcomesOf(person.subject).map((o) => o.outcome)).toEqual([
      "applied",
      "duplicate",
      "duplicate",
    ]);
    expect(publishedFor(event)).toHaveLength(1);
    expect(await s.queueDepth()).toBe(0);
  });

  it("a redelivery after a publish that was made (the delete was lost) publishes the same outcome id again", async () => {
    const s = await scenario();
    const person = seedPerson(environment, "published-not-deleted");
    const event = offboard(person.subject, person.data);
    await s.send(event);
    const live = handlerPublishing(s);

    const first = await s.receive({ waitSeconds: 1 });
    // The invocation published, then died before the event source mapping deleted the message.
    await s.invoke(first, {
      handler: (async (sqsEvent, context) => {
        await live(sqsEvent, context);
        return {
          batchItemFailures: sqsEvent.Records.map((r) => ({ itemIdentifier: r.messageId })),
        };
      }) as Scenario["handler"],
    });
    await s.visibleAgain(first);
    await s.invoke(await s.receive({ waitSeconds: 1 }), { handler: live });

    const published = publishedFor(event);
    expect(published.map((detail) => detail.outcome)).toEqual(["applied", "applied"]);
    expect(new Set(published.map((detail) => detail.outcomeId))).toEqual(
      new Set([appliedOutcomeId(event)]),
    );
    // As first published, less what the ledger does not keep: the attempt, the S3 keys.
    const [firstPublish, again] = published;
    const { attempt: _attempt, ...reached } = firstPublish ?? { attempt: undefined };
    expect(again).toEqual({
      ...reached,
      targets: firstPublish?.targets.map(({ target, result }) => ({ target, result })),
    });
    expect(await s.queueDepth()).toBe(0);
  });

  it("a dead letter's redelivered message publishes its dead_lettered outcome, naming the letter", async () => {
    const s = await scenario();
    const event = offboard("killed-after-letter", { accountPlatform: { userId: randomUUID() } });
    const messageId = await s.send(event);

    const first = await s.receive({ waitSeconds: 1 });
    await expect(
      s.invoke(first, { handler: handlerPublishing(s, { dies: true }) }),
    ).rejects.toThrow("killed");
    const [letter] = await s.takeDeadLetters();
    expect(publishedFor(event)).toEqual([]);

    await s.visibleAgain(first);
    const redelivered = await s.receive({ waitSeconds: 1 });
    expect(redelivered.map((m) => m.MessageId)).toEqual([messageId]);
    await s.invoke(redelivered, { handler: handlerPublishing(s) });

    expect(s.outcomesOf(event.subject).map((o) => o.outcome)).toEqual([
      "dead_lettered",
      "duplicate",
    ]);
    expect(publishedFor(event)).toMatchObject([
      {
        outcome: "dead_lettered",
        dlqMessageId: letter?.MessageId,
        failure: { reason: "not_found", target: "account-platform" },
      },
    ]);
    expect(await s.queueDepth()).toBe(0);
  });
});
