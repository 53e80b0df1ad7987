import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_PEOPLE } from "../../local/simulators/demo-users.ts";
import { DUE_CHANGES_INDEX, OUTBOX_SCHEDULE_STATE } from "../../shared/contract/ledger-keys.ts";
import {
  OUTCOME_DEFAULT_SOURCE,
  OUTCOME_DETAIL_TYPE,
} from "../../shared/contract/outcome-event.ts";
import { checkedDetails } from "../support/outcome-schema.ts";
import {
  enqueue,
  event,
  FAST_TUNING,
  startTestStack,
  type TestStack,
  takeDeadLetters,
} from "./local-stack-harness.ts";

/**
 * Outcomes on the local EventBridge stand-in (docs/outcomes.md): published once the ledger
 * recorded them, kept in the outbox while the bus cannot take them, published by the
 * scheduler's next run, and never changing what became of the event.
 */
let running: TestStack | undefined;

afterEach(async () => {
  await running?.stack.stop();
  running = undefined;
});

function person(index: number) {
  const found = DEMO_PEOPLE[index];
  if (!found) throw new Error(`no demo person ${index}`);
  return found;
}

async function outboxItems(test: TestStack): Promise<number> {
  const output = await test.stack.dynamodb.send(
    new QueryCommand({
      TableName: test.stack.ledgerTable,
      IndexName: DUE_CHANGES_INDEX.name,
      KeyConditionExpression: "#state = :state",
      ExpressionAttributeNames: { "#state": DUE_CHANGES_INDEX.partitionKey },
      ExpressionAttributeValues: { ":state": { S: OUTBOX_SCHEDULE_STATE } },
    }),
  );
  return output.Count ?? 0;
}

function writesOf(test: TestStack, accountUserId: string): number {
  return (test.stack.platforms.accountPlatform.simulator?.calls.all() ?? []).filter(
    (call) => call.operation === "setEnabled" && call.path.includes(accountUserId),
  ).length;
}

describe("outcome events", () => {
  it("publishes one applied outcome per offboard, and nothing for its duplicate", async () => {
    running = await startTestStack({ scheduler: { start: false } });
    const { stack } = running;
    const jdoe = person(0);
    const offboard = event("user.offboarded", jdoe.employeeId, {
      accountPlatform: { login: jdoe.login },
    });
    await enqueue(stack, offboard);
    await stack.waitUntilDrained({ timeoutMs: 20_000 });
    // The same event again, under another deduplication id: a duplicate publishes nothing.
    await stack.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.queueUrl,
        MessageBody: JSON.stringify(offboard),
        MessageGroupId: offboard.subject,
        MessageDeduplicationId: "again",
      }),
    );
    await stack.waitUntilDrained({ timeoutMs: 20_000 });

    expect(running.outcomes.map((o) => o.outcome)).toEqual(["applied", "duplicate"]);
    const events = stack.outcomeBus?.server.events ?? [];
    expect(events.map((e) => [e.source, e["detail-type"]])).toEqual([
      [OUTCOME_DEFAULT_SOURCE, OUTCOME_DETAIL_TYPE],
    ]);
    const [applied] = checkedDetails(events);
    expect(applied).toMatchObject({
      outcome: "applied",
      attempt: 1,
      event: {
        id: offboard.id,
        source: offboard.source,
        subject: jdoe.employeeId,
        type: "user.offboarded",
        time: offboard.time,
      },
      targets: [{ target: "account-platform", result: "changed" }],
    });
  });

  it("keeps an outcome the bus cannot take in the outbox; the scheduler publishes it once, and the event is applied once", async () => {
    running = await startTestStack({ scheduler: { start: false } });
    const { stack } = running;
    const bus = stack.outcomeBus?.server;
    if (!bus) throw new Error("the stack has no outcome bus");
    const asmith = person(2);
    const offboard = event("user.offboarded", asmith.employeeId, {
      accountPlatform: { userId: asmith.accountUserId },
    });

    await bus.pause();
    await enqueue(stack, offboard);
    await stack.waitUntilDrained({ timeoutMs: 20_000 });
    expect(running.outcomes.map((o) => o.outcome)).toEqual(["applied"]);
    expect(await outboxItems(running)).toBe(1);
    expect(bus.events).toEqual([]);

    await bus.resume();
    await stack.scheduler.runOnce();
    await stack.scheduler.runOnce();
    const [published] = checkedDetails(bus.events);
    expect(bus.events).toHaveLength(1);
    expect(published).toMatchObject({ outcome: "applied", event: { id: offboard.id } });
    expect(await outboxItems(running)).toBe(0);
    expect(running.outcomes.map((o) => o.outcome)).toEqual(["applied"]);
    expect(writesOf(running, asmith.accountUserId)).toBe(1);
  });

  it("takes a 200 answer with failed entries for a failed publish", async () => {
    running = await startTestStack({ scheduler: { start: false } });
    const { stack } = running;
    const bus = stack.outcomeBus?.server;
    if (!bus) throw new Error("the stack has no outcome bus");
    bus.faults.startOutage("throttle");
    const bchen = person(3);
    await enqueue(
      stack,
      event("user.offboarded", bchen.employeeId, { accountPlatform: { login: bchen.login } }),
    );
    await stack.waitUntilDrained({ timeoutMs: 20_000 });
    expect(bus.events).toEqual([]);
    expect(await outboxItems(running)).toBe(1);
    expect(running.logs.lines.some((line) => line.includes("EventBridge refused"))).toBe(true);

    bus.faults.endOutage();
    await stack.scheduler.runOnce();
    expect(checkedDetails(bus.events).map((d) => d.outcome)).toEqual(["applied"]);
  });

  it("names a dead letter's failure and its message id in the DLQ; a dry run publishes dry_run", async () => {
    running = await startTestStack({ scheduler: { start: false } });
    const missing = event("user.offboarded", "emp-nobody", {
      accountPlatform: { login: "nobody-here" },
    });
    await enqueue(running.stack, missing);
    await running.stack.waitUntilDrained({ timeoutMs: 20_000 });
    const [letter] = await takeDeadLetters(running.stack);
    const [deadLettered] = checkedDetails(running.stack.outcomeBus?.server.events ?? []);
    expect(deadLettered).toMatchObject({
      outcome: "dead_lettered",
      failure: { reason: "not_found", target: "account-platform" },
      dlqMessageId: letter?.MessageId,
      targets: [{ target: "account-platform", result: "failed" }],
    });
    await running.stack.stop();

    running = await startTestStack({
      scheduler: { start: false },
      env: { ...FAST_TUNING, DRY_RUN: "true" },
    });
    const jdoe = person(0);
    await enqueue(
      running.stack,
      event("user.offboarded", jdoe.employeeId, { accountPlatform: { login: jdoe.login } }),
    );
    await running.stack.waitUntilDrained({ timeoutMs: 20_000 });
    const [planned] = await takeDeadLetters(running.stack);
    const [dryRun] = checkedDetails(running.stack.outcomeBus?.server.events ?? []);
    expect(dryRun).toMatchObject({
      outcome: "dry_run",
      reason: "dry_run",
      dlqMessageId: planned?.MessageId,
      targets: [{ target: "account-platform", result: "skipped" }],
    });
    expect(dryRun?.failure).toBeUndefined();
  });

  it("with OUTCOME_BUS_NAME unset publishes nothing and keeps nothing in the outbox", async () => {
    running = await startTestStack({ outcomes: false, scheduler: { start: false } });
    const { stack } = running;
    expect(stack.outcomeBus).toBeUndefined();
    expect(stack.consumerEnvironment.OUTCOME_BUS_NAME).toBeUndefined();
    const jdoe = person(0);
    await enqueue(
      stack,
      event("user.offboarded", jdoe.employeeId, { accountPlatform: { login: jdoe.login } }),
    );
    await stack.waitUntilDrained({ timeoutMs: 20_000 });
    await stack.scheduler.runOnce();
    expect(running.outcomes.map((o) => o.outcome)).toEqual(["applied"]);
    expect(await outboxItems(running)).toBe(0);
  });
});
