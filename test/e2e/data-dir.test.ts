import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PEOPLE } from "../../local/simulators/demo-users.ts";
import { enqueue, event, startTestStack } from "./local-stack-harness.ts";

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "local-data-"));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe("npm start -- --data DIR", () => {
  it("keeps the ledger between runs, while the queues start empty", async () => {
    const [jdoe] = DEMO_PEOPLE;
    if (!jdoe) throw new Error("no demo people");
    const offboard = event("user.offboarded", jdoe.employeeId, {
      accountPlatform: { login: jdoe.login },
    });

    const first = await startTestStack({ dataDir: directory });
    try {
      await enqueue(first.stack, offboard);
      await first.stack.waitUntilDrained({ timeoutMs: 20_000 });
      expect(first.outcomes.map((o) => o.outcome)).toEqual(["applied"]);
    } finally {
      await first.stack.stop();
    }

    const second = await startTestStack({ dataDir: directory });
    try {
      const record = await second.stack.ledger.getPerson(jdoe.employeeId);
      expect(record?.newestApplied).toMatchObject({ id: offboard.id, source: offboard.source });
      expect((await second.stack.queueDepth()).total).toBe(0);
      // The ledger remembers the event: sent again, it is a duplicate, not a second change.
      await enqueue(second.stack, offboard);
      await second.stack.waitUntilDrained({ timeoutMs: 20_000 });
      expect(second.outcomes.map((o) => o.outcome)).toEqual(["duplicate"]);
    } finally {
      await second.stack.stop();
    }
  });
});
