import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventSourcePoller } from "../../../../local/event-source-poller.ts";
import type { SqsBatchHandler } from "../../../../local/event-source-poller-options.ts";
import type { SimulatorServer } from "../../../../local/simulators/common/simulator-server.ts";
import { waitUntilDrained } from "../../../../local/wait-until-drained.ts";
import type { FailureTarget } from "../../../../shared/contract/dead-letter-attributes.ts";
import { queueDepth } from "../../../../shared/operator/queues/queue-depth.ts";
import type { LifecycleEvent } from "../../../../shared/runtime/events/lifecycle-event.ts";
import {
  type ConsumerEnvironment,
  startConsumerEnvironment,
} from "../../../support/consumer-environment.ts";
import { offboard, onboard } from "../../../support/lifecycle-events.ts";
import { type SeededPerson, seedPerson } from "../../../support/people.ts";

/**
 * Issue 15's outage, scaled down through the consumer's own settings: a probe interval of 1 s
 * instead of 5, waiting records back every 2 s instead of 30, an outage of 4 s instead of 60.
 * The full size is in bench/ (`npm run bench -- --only outage`).
 */
const PROBE_MS = 1_000;
const OUTAGE_MS = 4_000;
const TUNING: Record<string, string> = {
  CONSUMER_BREAKER_FAILURES: "5",
  CONSUMER_BREAKER_PROBE_SECONDS: String(PROBE_MS / 1000),
  CONSUMER_OUTAGE_WAIT_SECONDS: "2",
  CONSUMER_OUTAGE_PATIENCE_SECONDS: "600",
  CONSUMER_MAX_ATTEMPTS: "5",
  CONSUMER_PLATFORM_TIMEOUT_MS: "2000",
  CONSUMER_GUARD_THRESHOLD: "0",
};
/** Recovery: the next probe, then the waiting records' return, then their processing. */
const RECOVERY_BOUND_MS = PROBE_MS + 2_000 + 8_000;

let environment: ConsumerEnvironment;
beforeAll(async () => {
  environment = await startConsumerEnvironment();
});
afterAll(async () => {
  await environment?.stop();
});

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await sleep(20);
  }
}

describe.each<[FailureTarget, "503" | "refuse"]>([
  ["osis", "503"],
  ["account-platform", "refuse"],
])("while %s is down (%s), 20 offboards arrive", (down, mode) => {
  it("the other platform is applied at once, the down one called once a probe interval, everything applied soon after recovery, in order", async () => {
    const s = await environment.scenario({ env: TUNING });
    const simulator: Pick<SimulatorServer, "faults" | "calls"> =
      down === "osis" ? environment.osis : environment.accountPlatform;
    const isUp = (person: SeededPerson) =>
      down === "osis" ? person.accountEnabled() === false : person.osisActive() === false;
    const isDone = (person: SeededPerson) =>
      person.accountEnabled() === false && person.osisActive() === false;

    // 20 people; four of them are then re-hired and let go again (their order matters).
    const people = Array.from({ length: 20 }, (_, i) =>
      seedPerson(environment, `outage-${down}-${i}`),
    );
    const events: LifecycleEvent[] = people.map((p) => offboard(p.subject, p.data));
    for (const p of people.slice(0, 4)) {
      events.push(onboard(p.subject, p.data), offboard(p.subject, p.data));
    }

    let running = 0;
    const handler: SqsBatchHandler = async (event, context) => {
      running += 1;
      try {
        return await s.handler(event, context);
      } finally {
        running -= 1;
      }
    };
    const pollers = Array.from(
      { length: 3 },
      () =>
        new EventSourcePoller({
          sqs: environment.sqs,
          queueUrl: s.queueUrl,
          queueArn: s.queueArn,
          region: "us-east-1",
          handler,
          logger: s.logs.logger.child({ service: "event-source" }),
          concurrency: 2,
          batchSize: 10,
          waitTimeSeconds: 1,
          functionTimeoutMs: 6_000,
        }),
    );

    simulator.faults.startOutage(mode);
    const outageStarted = Date.now();
    for (const poller of pollers) poller.start();
    try {
      for (const event of events) await s.send(event);

      // During the outage: every person reaches the platform that is up.
      // During the outage (it lasts at least OUTAGE_MS, and until this holds): every person
      // reaches the platform that is up, and none the one that is down.
      await until(() => people.every(isUp), 30_000, "the other platform applied");
      expect(people.some(isDone)).toBe(false);
      await sleep(Math.max(0, OUTAGE_MS - (Date.now() - outageStarted)));
      simulator.faults.endOutage();
      const outageEnded = Date.now();

      // After it: everything applied, soon.
      await until(() => people.every(isDone), RECOVERY_BOUND_MS, "everything applied");
      await waitUntilDrained({
        sqs: environment.sqs,
        queueUrl: s.queueUrl,
        invocationsRunning: () => running,
        timeoutMs: RECOVERY_BOUND_MS,
      });

      // Nothing dead-lettered; every event applied, each person's in the order sent.
      expect((await queueDepth(environment.sqs, s.dlqUrl)).total).toBe(0);
      for (const person of people) {
        const sent = events.filter((e) => e.subject === person.subject).map((e) => e.id);
        const applied = s
          .outcomesOf(person.subject)
          .filter((o) => o.outcome === "applied")
          .map((o) => o.eventId);
        expect(applied).toEqual(sent);
      }
      const waited = s.outcomes.filter((o) => o.cause === "platform_unavailable");
      expect(waited.length).toBeGreaterThan(0);
      expect(s.outcomes.some((o) => o.outcome === "dead_lettered")).toBe(false);

      // The down platform: once the breaker opened, at most one call a probe interval across
      // every poller, and one log line for the opening and one for the closing.
      const lines = s.logs.records().map((line) => String(line.message));
      expect(lines.filter((line) => line.startsWith("Circuit breaker opened"))).toHaveLength(1);
      expect(lines.filter((line) => line.startsWith("Circuit breaker closed"))).toHaveLength(1);
      const opened = s.logs
        .records()
        .find((line) => String(line.message).startsWith("Circuit breaker opened"));
      const openedAt = Date.parse(String(opened?.nextProbeAt)) - PROBE_MS;
      const probes = simulator.calls
        .all()
        .filter((call) => call.startedAt > openedAt && call.startedAt < outageEnded)
        .map((call) => call.startedAt)
        .sort((a, b) => a - b);
      // Counted at the simulator: a probe's own latency may bring two closer than an interval,
      // and a call sent just before the breaker opened may arrive just after.
      expect(probes.length).toBeLessThanOrEqual(
        Math.floor((outageEnded - openedAt) / PROBE_MS) + 1,
      );
    } finally {
      simulator.faults.endOutage();
      await Promise.all(pollers.map((poller) => poller.stop()));
      s.close();
    }
  }, 60_000);
});
