import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventTimeMs } from "../../../shared/runtime/events/lifecycle-event.ts";
import { event } from "./cli-fixtures.ts";
import { CliStack } from "./cli-harness.ts";

let stack: CliStack;
beforeAll(async () => {
  stack = await CliStack.start();
});
afterAll(async () => {
  await stack.stop();
});

/** A person whose offboard is scheduled a day ahead, as the consumer would record it. */
async function scheduledOffboard(subject: string): Promise<void> {
  const offboard = event(subject);
  const owner = `test-${randomUUID()}`;
  const now = Date.now();
  const claimed = await stack.ledger.claim(subject, { owner, expiresAt: now + 60_000, now });
  if (!claimed.claimed) throw new Error("could not claim the test person");
  const change = {
    source: offboard.source,
    id: offboard.id,
    type: offboard.type,
    time: eventTimeMs(offboard),
    effectiveAt: now + 24 * 3600_000,
    scheduledAt: now,
  };
  await stack.ledger.putChange({ ...change, subject, body: JSON.stringify(offboard) });
  await stack.ledger.release({ ...claimed.record, pendingChanges: [change] }, owner);
}

describe("lifecycle schedule cancel and the machine's clock", () => {
  it("takes no claim when the clock is more than 30 s off AWS's, and cancels once it is right", async () => {
    const ws = await stack.workspace();
    const subject = `clock-${randomUUID().slice(0, 6)}`;
    await scheduledOffboard(subject);

    for (const offMs of [45_000, -45_000]) {
      const skewed = await ws.run(["schedule", "cancel", subject, "--yes"], {
        now: () => Date.now() + offMs,
      });
      expect(skewed.code).toBe(1);
      expect(skewed.stderr).toMatch(/clock is 4[4-6] s (behind|ahead of) AWS's/);
      const person = await stack.ledger.getPerson(subject);
      expect(person?.pendingChanges).toHaveLength(1);
      expect(person?.claim).toBeUndefined();
    }

    const right = await ws.run(["schedule", "cancel", subject, "--yes"]);
    expect(right.code).toBe(0);
    expect((await stack.ledger.getPerson(subject))?.pendingChanges ?? []).toEqual([]);
  });
});

describe("the lifecycle command while the ledger is throttled", () => {
  it("says so in one sentence, exit 1", async () => {
    const ws = await stack.workspace();
    stack.dynamoDbServer.faults.startOutage("throttle");
    try {
      const result = await ws.run(["status", "emp-1"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        "The ledger (DynamoDB) is throttled, failing or not answering (ThrottlingException)",
      );
    } finally {
      stack.dynamoDbServer.faults.endOutage();
    }
  });
});
