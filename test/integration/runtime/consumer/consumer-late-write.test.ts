import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { ConsumerEnvironment } from "../../../support/consumer-environment.ts";
import { useConsumerEnvironment } from "../../../support/consumer-suite.ts";
import { offboard, onboard } from "../../../support/lifecycle-events.ts";
import { seedPerson } from "../../../support/people.ts";

let environment: ConsumerEnvironment;
const scenario = useConsumerEnvironment({
  started: (started) => {
    environment = started;
  },
});

// Scaled down: the client waits 300 ms; the simulator applies the write 3 s after it came,
// long after the event's own retry (1 s backoff) and the person's next event would be done;
// the consumer takes a write that got no answer as landing within 4 s of giving up on it.
const TIMEOUT_MS = 300;
const LANDS_AFTER_MS = 3_000;
const TUNING = {
  CONSUMER_PLATFORM_TIMEOUT_MS: String(TIMEOUT_MS),
  CONSUMER_BACKOFF_BASE_SECONDS: "1",
  CONSUMER_BACKOFF_CAP_SECONDS: "1",
  CONSUMER_OSIS_LATE_WRITE_SECONDS: "4",
};

describe("consumer: an OSIS write that lands after its answer was lost", () => {
  it("the person's next event waits for it, so the newest event's state is what stays", async () => {
    const s = await scenario(TUNING);
    // A leaver whose rescinded onboard stalls, and a rehire whose offboard stalls.
    const leaver = seedPerson(environment, "late-write-leaver", { enabled: false });
    const rehire = seedPerson(environment, "late-write-rehire", { enabled: true });
    environment.osis.faults.add({ operation: "setActive", latencyMs: LANDS_AFTER_MS, times: 2 });
    await s.send(onboard(leaver.subject, leaver.data));
    await s.send(offboard(rehire.subject, rehire.data));
    await s.send(offboard(leaver.subject, leaver.data));
    await s.send(onboard(rehire.subject, rehire.data));

    await s.drain();
    // Every stalled write has landed by now (the simulator applies it, answer or not).
    while (environment.osis.calls.inFlight > 0) await sleep(50);

    expect(leaver.osisActive()).toBe(false);
    expect(rehire.osisActive()).toBe(true);
    expect(leaver.accountEnabled()).toBe(false);
    expect(rehire.accountEnabled()).toBe(true);
    for (const person of [leaver, rehire]) {
      const outcomes = s.outcomesOf(person.subject);
      // The first event's write got no answer, and its retry was not held (same state);
      // the next event's OSIS target waited for the doubt to end, then was applied.
      expect(outcomes.map((o) => o.outcome)).toEqual(["retried", "applied", "retried", "applied"]);
      expect(outcomes[2]).toMatchObject({
        target: "osis",
        detail: expect.stringMatching(/may still land/),
        attempts: 0,
      });
      // The hold was a wait: the attempt it ended was given back (late-write-rules.ts, rule 6).
      expect(outcomes[3]).toMatchObject({ outcome: "applied", attempts: 1 });
    }
    expect(await s.takeDeadLetters()).toEqual([]);
  }, 30_000);

  it("a doubt the ledger could not record keeps the event away until the doubt is over", async () => {
    const s = await scenario({
      ...TUNING,
      CONSUMER_OUTAGE_WAIT_SECONDS: "1",
      CONSUMER_OUTAGE_PATIENCE_SECONDS: "600",
    });
    const person = seedPerson(environment, "late-write-ledger-down");
    environment.osis.faults.add({ operation: "setActive", latencyMs: LANDS_AFTER_MS });
    await s.send(offboard(person.subject, person.data));
    const delivered = s.deliver({ waitSeconds: 0 });
    while (environment.osis.calls.inFlight === 0) await sleep(5);
    const sentAt = Date.now();
    // The failed attempt's release (a PutItem) is throttled through the SDK's three attempts.
    environment.dynamoDbServer.faults.add({ operation: "PutItem", status: 400, times: 3 });
    await delivered;
    expect(s.outcomes).toEqual([
      expect.objectContaining({ outcome: "retried", cause: "ledger_unavailable" }),
    ]);
    // Not the ledger's 1-s wait, which the person's next event could follow before the write
    // can no longer land: back no sooner than 4 s after the client gave up on it.
    const visibleAgainAt = Date.now() + (s.outcomes[0]?.visibilityTimeoutSeconds ?? 0) * 1000;
    expect(s.outcomes[0]?.visibilityTimeoutSeconds).toBeGreaterThan(1);
    expect(visibleAgainAt).toBeGreaterThanOrEqual(sentAt + 4_000);
    while (environment.osis.calls.inFlight > 0) await sleep(50);
  }, 30_000);
});
