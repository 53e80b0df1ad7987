import { setTimeout as sleep } from "node:timers/promises";
import type { Message } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import type { OutageMode } from "../../../../local/simulators/common/fault-injector.ts";
import { DLQ_ATTRIBUTES } from "../../../../shared/contract/dead-letter-attributes.ts";
import { LedgerUnavailableError } from "../../../../shared/runtime/errors/ledger-unavailable-error.ts";
import type { ConsumerEnvironment, Scenario } from "../../../support/consumer-environment.ts";
import { useConsumerEnvironment } from "../../../support/consumer-suite.ts";
import { offboard } from "../../../support/lifecycle-events.ts";
import { seedPerson } from "../../../support/people.ts";

/**
 * The ledger (DynamoDB) throttled or down, scaled down through the consumer's own settings:
 * waiting records back every second instead of every 30, a patience of 1 s where a test needs
 * it to be over. The full size (a 60 s outage, 20 offboards) is in bench/
 * (`npm run bench -- --only ledger-outage`).
 */
const TUNING: Record<string, string> = {
  CONSUMER_OUTAGE_WAIT_SECONDS: "1",
  CONSUMER_OUTAGE_PATIENCE_SECONDS: "600",
  CONSUMER_GUARD_THRESHOLD: "0",
};

let environment: ConsumerEnvironment;
const scenario = useConsumerEnvironment({
  started: (started) => {
    environment = started;
  },
});
afterEach(() => {
  environment.dynamoDbServer.faults.reset();
});

function ledgerUnavailableTotal(s: Scenario): number {
  let total = 0;
  for (const line of s.metrics.lines.map((l) => JSON.parse(l) as Record<string, unknown>)) {
    if ("LedgerUnavailable" in line) total += [line.LedgerUnavailable].flat().map(Number)[0] ?? 0;
  }
  return total;
}

function reasonOf(message: Message | undefined): string | undefined {
  return message?.MessageAttributes?.[DLQ_ATTRIBUTES.reason]?.StringValue;
}

describe.each<OutageMode>(["throttle", "503", "refuse"])(
  "while the ledger is down (%s)",
  (mode) => {
    it("offboards wait without an attempt or a platform call, and all are applied once it is back, none dead-lettered", async () => {
      const s = await scenario(TUNING);
      const people = Array.from({ length: 3 }, (_, i) =>
        seedPerson(environment, `ledger-${mode}-${i}`),
      );
      environment.dynamoDbServer.faults.startOutage(mode);
      for (const person of people) await s.send(offboard(person.subject, person.data));

      await s.deliver({ waitSeconds: 0 });
      expect(s.outcomes.map((o) => [o.outcome, o.cause])).toEqual(
        people.map(() => ["retried", "ledger_unavailable"]),
      );
      expect(s.visibilityChanges.map((c) => c.visibilityTimeout)).toEqual(people.map(() => 1));
      expect(ledgerUnavailableTotal(s)).toBe(3);
      // The breakers live in the ledger table: not read (nor reported) while it is down.
      expect(s.metrics.lines.filter((line) => line.includes("PlatformUnavailable"))).toEqual([]);
      expect(environment.accountPlatform.calls.count("setEnabled")).toBe(0);
      expect(environment.osis.calls.count("setActive")).toBe(0);

      environment.dynamoDbServer.faults.endOutage();
      await s.drain();
      for (const person of people) {
        expect(person.accountEnabled()).toBe(false);
        expect(person.osisActive()).toBe(false);
        expect(s.outcomesOf(person.subject).at(-1)?.outcome).toBe("applied");
      }
      expect(environment.accountPlatform.calls.count("setEnabled")).toBe(3);
      expect(await s.takeDeadLetters()).toEqual([]);
    });
  },
);

describe("the ledger and the platforms", () => {
  it("a completion the ledger refused after both platforms were changed is retried until written: the event ends applied, each platform written once", async () => {
    // Attempts and patience are both used up, so only the ledger rule keeps it from the DLQ.
    const s = await scenario({
      ...TUNING,
      CONSUMER_MAX_ATTEMPTS: "1",
      CONSUMER_OUTAGE_PATIENCE_SECONDS: "1",
    });
    const person = seedPerson(environment, "ledger-completion");
    environment.osis.faults.add({ operation: "setActive", latencyMs: 300 });
    await s.send(offboard(person.subject, person.data));
    await sleep(1_100);

    const delivered = s.deliver({ waitSeconds: 0 });
    // Once OSIS is being written (a call in flight after the account platform's write ended),
    // the account platform's done-mark is saved: the next PutItem is the completion. The SDK
    // makes three attempts at it; all three are throttled.
    while (
      environment.accountPlatform.calls.count("setEnabled") === 0 ||
      environment.osis.calls.inFlight === 0
    ) {
      await sleep(5);
    }
    environment.dynamoDbServer.faults.add({ operation: "PutItem", status: 400, times: 3 });
    await delivered;
    expect(s.outcomes).toEqual([
      expect.objectContaining({ outcome: "retried", cause: "ledger_unavailable" }),
    ]);
    expect(person.accountEnabled()).toBe(false);
    expect(person.osisActive()).toBe(false);

    await s.drain();
    expect(s.outcomes.map((o) => o.outcome)).toEqual(["retried", "applied"]);
    expect(s.outcomes.at(-1)?.written).toEqual([]);
    expect(environment.accountPlatform.calls.count("setEnabled")).toBe(1);
    expect(environment.osis.calls.count("setActive")).toBe(1);
    expect(await s.takeDeadLetters()).toEqual([]);
    expect((await environment.ledger.getPerson(person.subject))?.newestApplied).toBeDefined();
  });

  it("a record that waited for the ledger longer than the patience goes to the DLQ as ledger_unavailable, without it", async () => {
    const s = await scenario({ ...TUNING, CONSUMER_OUTAGE_PATIENCE_SECONDS: "1" });
    const person = seedPerson(environment, "ledger-patience");
    const messageId = await s.send(offboard(person.subject, person.data));
    await sleep(1_100);
    environment.dynamoDbServer.faults.startOutage("throttle");

    await s.deliver({ waitSeconds: 0 });
    expect(s.outcomes).toEqual([
      expect.objectContaining({ outcome: "dead_lettered", reason: "ledger_unavailable" }),
    ]);
    const [dead, ...more] = await s.takeDeadLetters();
    expect(more).toEqual([]);
    expect(reasonOf(dead)).toBe("ledger_unavailable");
    expect(dead?.MessageAttributes?.[DLQ_ATTRIBUTES.sourceMessageId]?.StringValue).toBe(messageId);
    expect(environment.accountPlatform.calls.count("setEnabled")).toBe(0);
    expect(await s.queueDepth()).toBe(0);
  });

  it("the DynamoDB client gives a throttled request three attempts, then reports the ledger unavailable", async () => {
    const faults = environment.dynamoDbServer.faults;
    faults.add({ operation: "GetItem", status: 400, times: 4 });
    const read = environment.ledger.getPerson("anyone");
    await expect(read).rejects.toBeInstanceOf(LedgerUnavailableError);
    await expect(read).rejects.toMatchObject({ code: "ThrottlingException", status: 400 });
    // One of the four throttled answers is left: the SDK stopped after three.
    expect(faults.pending()).toEqual([expect.objectContaining({ operation: "GetItem", times: 1 })]);
  });
});
