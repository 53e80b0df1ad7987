import { describe, expect, it } from "vitest";
import { publishOutcomes } from "../../../../shared/runtime/consumer/outcome-publishing.ts";
import type { OutcomePublisher } from "../../../../shared/runtime/outcomes/outcome-publisher.ts";
import { captureLogs } from "../../../support/captured-logs.ts";

const APPLIED = {
  outcome: "applied" as const,
  messageId: "m-1",
  event: {
    id: "e-1",
    source: "urn:hr:workday",
    subject: "emp-1",
    type: "user.offboarded",
    time: "2026-12-07T10:00:00Z",
    targets: [],
  },
};

describe("publishOutcomes", () => {
  it("publishes the batch's decisions, not its duplicates", async () => {
    const published: unknown[][] = [];
    const publisher: Pick<OutcomePublisher, "publish"> = {
      publish: async (details) => {
        published.push([...details]);
        return { published: details.length, kept: 0 };
      },
    };
    const logs = captureLogs();
    await publishOutcomes(publisher, [APPLIED, { ...APPLIED, outcome: "duplicate" }], {
      now: 0,
      deadline: new AbortController().signal,
      logger: logs.logger,
    });
    expect(logs.lines).toEqual([]);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject([{ outcome: "applied", event: { id: "e-1" } }]);
  });

  it("stops waiting at the invocation's deadline, and logs the outcomes it could not publish", async () => {
    // A publish that never ends (a ledger that stalls while the outbox is written).
    const publisher: Pick<OutcomePublisher, "publish"> = { publish: () => new Promise(() => {}) };
    const logs = captureLogs();
    const deadline = new AbortController();
    const publishing = publishOutcomes(publisher, [APPLIED], {
      now: 0,
      deadline: deadline.signal,
      logger: logs.logger,
    });
    deadline.abort();
    await publishing;
    const [line] = logs.records();
    expect(line).toMatchObject({
      message: "The invocation ended before its outcomes were published",
      outcomes: [{ outcome: "applied", event: { id: "e-1" } }],
    });
  });
});
