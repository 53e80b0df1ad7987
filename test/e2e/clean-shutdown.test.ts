import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../local/running-local-stack.ts";
import {
  DEMO_ACCOUNT_TENANT_ID,
  DEMO_OSIS_CD_TENANT_ID,
  DEMO_OSIS_TENANT_ID,
} from "../../local/simulators/demo-users.ts";
import { isAcknowledged, type RecordOutcome } from "../../shared/runtime/consumer/outcome.ts";
import type { LifecycleEvent } from "../../shared/runtime/events/lifecycle-event.ts";
import { enqueue, event, startTestStack, type TestStack } from "./local-stack-harness.ts";

const PEOPLE = 40;
let running: TestStack;
let stack: LocalStack;

beforeAll(async () => {
  running = await startTestStack({ consumer: { concurrency: 2 } });
  stack = running.stack;
});

afterAll(async () => {
  await stack?.stop();
});

/** The final (acknowledged) outcome of each message that got one. */
function acknowledgedByMessage(outcomes: readonly RecordOutcome[]): Map<string, RecordOutcome> {
  const byMessage = new Map<string, RecordOutcome>();
  for (const outcome of outcomes) {
    if (!isAcknowledged(outcome.outcome)) continue;
    expect(
      byMessage.has(outcome.messageId),
      `message ${outcome.messageId} acknowledged twice`,
    ).toBe(false);
    byMessage.set(outcome.messageId, outcome);
  }
  return byMessage;
}

function tally(acknowledged: Map<string, RecordOutcome>) {
  const count = (kinds: readonly RecordOutcome["outcome"][]) =>
    [...acknowledged.values()].filter((o) => kinds.includes(o.outcome)).length;
  return {
    applied: count(["applied"]),
    acknowledged: count(["duplicate", "stale"]),
    deadLettered: count(["dead_lettered"]),
  };
}

describe("stopping the local stack's consumer", () => {
  it("loses no message: sent = applied + acknowledged + DLQ + still queued, and a restart finishes the rest", async () => {
    const accounts = stack.platforms.accountPlatform.simulator;
    const osis = stack.platforms.osis.simulator;
    if (!accounts || !osis) throw new Error("the test stack runs on the simulators");
    for (const simulator of [accounts, osis]) simulator.faults.setLatency(40);

    const people = Array.from({ length: PEOPLE }, (_, index) => {
      const login = `shutdown-${index}`;
      const account = accounts.seedUser({
        login,
        tenant_id: DEMO_ACCOUNT_TENANT_ID,
        external_id: `sd-${index}`,
      });
      osis.seedUser({
        tenant_id: DEMO_OSIS_TENANT_ID,
        cd_tenant_id: DEMO_OSIS_CD_TENANT_ID,
        cd_user_id: login,
        user_id: login,
      });
      return { subject: `sd-${index}`, login, accountId: account.id };
    });
    const offboards = people.map((p) =>
      event("user.offboarded", p.subject, {
        accountPlatform: { userId: p.accountId },
        osis: { tenantId: DEMO_OSIS_TENANT_ID, userId: p.login },
      }),
    );
    const sent: string[] = [];
    for (const offboard of offboards) sent.push(await enqueue(stack, offboard));
    // Duplicates (the same event past SQS's deduplication window), stale onboards, unknown users.
    for (const offboard of offboards.slice(0, 5)) sent.push(await resend(offboard));
    for (const p of people.slice(5, 10)) {
      sent.push(
        await enqueue(
          stack,
          event(
            "user.onboarded",
            p.subject,
            { accountPlatform: { userId: p.accountId } },
            new Date(Date.now() - 3_600_000).toISOString(),
          ),
        ),
      );
    }
    for (let index = 0; index < 3; index += 1) {
      sent.push(
        await enqueue(
          stack,
          event("user.offboarded", `sd-ghost-${index}`, {
            accountPlatform: { login: `ghost-${index}` },
          }),
        ),
      );
    }

    for (let round = 0; round < 500; round += 1) {
      if (acknowledgedByMessage(running.outcomes).size >= 5) break;
      await sleep(20);
    }
    const stopped = await stack.stopPolling();
    expect(stopped).toEqual({ finished: true, abandonedBatches: 0 });

    const atStop = tally(acknowledgedByMessage(running.outcomes));
    const queued = (await stack.queueDepth()).total;
    const inDlq = (await stack.dlqDepth()).total;
    expect(inDlq).toBe(atStop.deadLettered);
    expect(queued).toBeGreaterThan(0);
    expect(atStop.applied + atStop.acknowledged + inDlq + queued).toBe(sent.length);

    stack.startPolling();
    await stack.waitUntilDrained({ timeoutMs: 20_000 });
    const acknowledged = acknowledgedByMessage(running.outcomes);
    expect([...acknowledged.keys()].sort()).toEqual([...sent].sort());
    expect(tally(acknowledged)).toEqual({ applied: PEOPLE, acknowledged: 10, deadLettered: 3 });
    expect((await stack.dlqDepth()).total).toBe(3);
    for (const p of people) {
      expect(accounts.user(p.accountId)?.enabled).toBe(false);
      expect(osis.user(DEMO_OSIS_TENANT_ID, p.login)?.active).toBe(false);
    }
  });
});

async function resend(lifecycleEvent: LifecycleEvent): Promise<string> {
  const output = await stack.sqs.send(
    new SendMessageCommand({
      QueueUrl: stack.queueUrl,
      MessageBody: JSON.stringify(lifecycleEvent),
      MessageGroupId: lifecycleEvent.subject,
      MessageDeduplicationId: randomUUID(),
    }),
  );
  return output.MessageId ?? "";
}
