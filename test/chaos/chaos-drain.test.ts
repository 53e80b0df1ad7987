import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { EventSourcePoller } from "../../local/event-source-poller.ts";
import type { SqsBatchHandler } from "../../local/event-source-poller-options.ts";
import { AccessTokens } from "../../local/simulators/account-platform/access-tokens.ts";
import { mulberry32 } from "../../local/simulators/common/seeded-random.ts";
import { createLifecycleQueues } from "../../local/stand-ins/lifecycle-queues.ts";
import { DLQ_ATTRIBUTES, FAILURE_REASONS } from "../../shared/contract/dead-letter-attributes.ts";
import { queueDepth } from "../../shared/operator/queues/queue-depth.ts";
import type { RecordOutcome } from "../../shared/runtime/consumer/outcome.ts";
import type { LifecycleEvent } from "../../shared/runtime/events/lifecycle-event.ts";
import {
  type ConsumerEnvironment,
  Scenario,
  startConsumerEnvironment,
} from "../support/consumer-environment.ts";
import { giveKeys, type PersonKeys } from "../support/osis-keys.ts";
import { OSIS_TENANT_ID, type SeededPerson, seedPerson } from "../support/people.ts";
import { chaosSettings, newestWish, type PlannedMessage, planChaos } from "./chaos-plan.ts";
import { waitWhileProgressing } from "./progress-watch.ts";

/**
 * The chaos drain: a seeded workload through the real consumer, the event-source poller,
 * fauxqs, dynalite and both simulators while the simulators inject seeded random faults; the
 * poller is killed mid-batch once and restarted. CHAOS_SEED, CHAOS_EVENTS and CHAOS_PEOPLE
 * change the run (`CHAOS_EVENTS=10000 CHAOS_PEOPLE=2000 vitest run test/chaos`).
 */
const settings = chaosSettings();
const plan = planChaos(settings);
/**
 * The liveness check: the drain fails when no record reaches a final outcome for this long.
 * A record ends (applied, or dead-lettered after CONSUMER_MAX_ATTEMPTS) within about a minute
 * of backoffs and timeouts even when every attempt fails; the drain as a whole may take
 * several times its quiet 30 s on two cores shared with other work, and that is not a failure.
 */
const STALL_MS = 90_000;
/** Only a backstop: a stuck drain fails on STALL_MS long before. */
const TEST_TIMEOUT_MS = 15 * 60_000;

const FAULT_RATE = 0.08;
// The simulators answer from the test's own process: on two busy cores a plain call can take
// several hundred ms, so the timeout is well above that (at 400 ms most calls timed out under
// load, and every person ended with an event dead-lettered after its attempts ran out).
const PLATFORM_TIMEOUT_MS = 2_000;
// Past the client's timeout and the first backoff after it (0.5-1 s): a write that times out
// lands after the consumer gave up on it, possibly after the person's next event was applied.
// OSIS writes carry no version; the consumer holds the person's next OSIS change until such a
// write can no longer land (CONSUMER_OSIS_LATE_WRITE_SECONDS, here 3 s after the timeout: the
// write lands 1.5 s after it, and a busy process may be late answering).
const SLOW_MS = 3_500;
// Room for a record's calls at that timeout; the claims (CONSUMER_CLAIM_TTL_SECONDS) live as
// long, and have expired when a killed batch's records come back.
const FUNCTION_TIMEOUT_MS = 10_000;
const QUEUE_VISIBILITY_SECONDS = 12;

const TUNING: Record<string, string> = {
  CONSUMER_BACKOFF_BASE_SECONDS: "1",
  CONSUMER_BACKOFF_CAP_SECONDS: "2",
  CONSUMER_MAX_ATTEMPTS: "12",
  CONSUMER_PLATFORM_TIMEOUT_MS: String(PLATFORM_TIMEOUT_MS),
  CONSUMER_DEADLINE_MARGIN_MS: "2000",
  CONSUMER_CLAIM_TTL_SECONDS: "10",
  CONSUMER_GUARD_THRESHOLD: "0",
  CONSUMER_GUARD_ONBOARD_THRESHOLD: "0",
  // Scaled down like the backoff: a breaker opened by a burst of faults is probed every second
  // and its waiting records come back every two.
  CONSUMER_BREAKER_PROBE_SECONDS: "1",
  CONSUMER_OUTAGE_WAIT_SECONDS: "2",
  CONSUMER_OUTAGE_PATIENCE_SECONDS: "600",
  CONSUMER_OSIS_LATE_WRITE_SECONDS: "3",
};

let environment: ConsumerEnvironment;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
const issuedTokens: string[] = [];

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  const issue = AccessTokens.prototype.issue;
  vi.spyOn(AccessTokens.prototype, "issue").mockImplementation(function (
    this: AccessTokens,
    clientId: string,
  ) {
    const answer = issue.call(this, clientId);
    issuedTokens.push(answer.access_token, answer.id_token);
    return answer;
  });
  environment = await startConsumerEnvironment();
});

afterAll(async () => {
  vi.restoreAllMocks();
  process.off("unhandledRejection", onUnhandled);
  await environment?.stop();
});

interface SentMessage {
  messageId: string;
  planned: PlannedMessage;
}

describe(`chaos drain (seed ${settings.seed}, ${settings.events} events, ${settings.people} people)`, () => {
  it(
    "accounts for every event once and leaves the platforms as the newest events asked",
    async () => {
      const scenario = await chaosScenario(environment);
      const seeded = new Map<string, SeededPerson>();
      // Every other person holds two OSIS S3 keys, as their user is (issue 28).
      const keys = new Map<string, PersonKeys>();
      for (const [index, person] of plan.people.entries()) {
        if (!person.ghost) {
          const user = seedPerson(environment, person.subject, {
            enabled: person.initiallyEnabled,
          });
          seeded.set(person.subject, user);
          if (index % 2 === 0) keys.set(person.subject, giveKeys(environment, user, 2));
        }
      }

      environment.accountPlatform.faults.random({
        seed: settings.seed,
        rate: FAULT_RATE,
        kinds: ["5xx", "429", "slow", "reset", "conflict"],
        slowMs: SLOW_MS,
        retryAfter: "1",
      });
      environment.osis.faults.random({
        seed: settings.seed + 1,
        rate: FAULT_RATE,
        kinds: ["5xx", "429", "slow", "reset"],
        slowMs: SLOW_MS,
        retryAfter: "1",
      });

      const sent = await sendPlan(scenario, seeded);
      expect(sent).toHaveLength(settings.events);

      let running = 0;
      const handler: SqsBatchHandler = async (event, context) => {
        running += 1;
        try {
          return await scenario.handler(event, context);
        } finally {
          running -= 1;
        }
      };
      const poller = (stopGraceMs: number) =>
        new EventSourcePoller({
          sqs: environment.sqs,
          queueUrl: scenario.queueUrl,
          queueArn: scenario.queueArn,
          region: "us-east-1",
          handler,
          logger: scenario.logs.logger.child({ service: "event-source" }),
          concurrency: 4,
          batchSize: 10,
          waitTimeSeconds: 1,
          functionTimeoutMs: FUNCTION_TIMEOUT_MS,
          stopGraceMs,
        });

      // The kill: no grace at all, while batches are being processed.
      const first = poller(0);
      first.start();
      const progress = () => terminalCount(scenario.outcomes);
      await waitWhileProgressing({
        what: "the first quarter",
        done: () => progress() >= sent.length / 4 && first.batchesInFlight > 0,
        progress,
        stallMs: STALL_MS,
        intervalMs: 20,
      });
      const killed = await first.stop();
      expect(killed.abandonedBatches).toBeGreaterThan(0);

      const second = poller(5_000);
      second.start();
      try {
        // Empty (nothing waiting, in flight or delayed) with no invocation running: every
        // message sent has reached its end.
        await waitWhileProgressing({
          what: "the drain",
          done: async () =>
            running === 0 && (await queueDepth(environment.sqs, scenario.queueUrl)).total === 0,
          progress,
          stallMs: STALL_MS,
          intervalMs: 250,
        });
      } finally {
        await second.stop();
        environment.accountPlatform.faults.random(undefined);
        environment.osis.faults.random(undefined);
      }
      // A write stalled when the queue emptied is still applied: the states are read after.
      await waitFor(
        () => environment.accountPlatform.calls.inFlight + environment.osis.calls.inFlight === 0,
        SLOW_MS + 30_000,
      );

      // Nothing left queued or in flight.
      expect((await queueDepth(environment.sqs, scenario.queueUrl)).total).toBe(0);

      // The faults did happen.
      const faulted = [...environment.accountPlatform.calls.all(), ...environment.osis.calls.all()];
      expect(faulted.some((call) => call.status === 429)).toBe(true);
      expect(faulted.some((call) => typeof call.status === "number" && call.status >= 500)).toBe(
        true,
      );
      expect(faulted.some((call) => call.status === "reset")).toBe(true);
      // Credential calls were among the faulted ones.
      const keyCalls = new Set(["listCredentials", "updateCredentialStatus"]);
      expect(
        environment.osis.calls
          .all()
          .filter((call) => keyCalls.has(call.operation) && call.status !== 200)
          .map((call) => call.operation),
      ).toEqual(expect.arrayContaining(["listCredentials", "updateCredentialStatus"]));

      // Every message accounted for exactly once: its first final outcome. A message can end
      // again only when redelivered after the kill left it undeleted: as a duplicate, or judged
      // again the same way (stale, dead-lettered under the same deduplication id).
      const byMessage = finalOutcomesByMessage(scenario.outcomes);
      const accounted = new Map<string, RecordOutcome>();
      for (const { messageId } of sent) {
        const finals = byMessage.get(messageId) ?? [];
        const [firstFinal, ...again] = finals;
        expect(firstFinal, `message ${messageId} has no final outcome`).toBeDefined();
        if (!firstFinal) continue;
        accounted.set(messageId, firstFinal);
        for (const later of again) {
          const harmless =
            later.outcome === "duplicate" ||
            (later.outcome === firstFinal.outcome && later.outcome !== "applied");
          expect(harmless, `${messageId}: ${firstFinal.outcome} then ${later.outcome}`).toBe(true);
        }
      }
      expect(accounted.size).toBe(sent.length);

      // An event changes the platforms at most once, whatever the copies and redeliveries.
      const appliedPerEvent = new Map<string, number>();
      for (const outcome of scenario.outcomes) {
        if (outcome.outcome === "applied" && outcome.eventId) {
          appliedPerEvent.set(outcome.eventId, (appliedPerEvent.get(outcome.eventId) ?? 0) + 1);
        }
      }
      expect([...appliedPerEvent.values()].every((count) => count === 1)).toBe(true);

      // The DLQ holds exactly the dead-lettered messages, once each, each with a reason.
      const deadLetters = await scenario.takeDeadLetters();
      const deadLetteredIds = [...accounted]
        .filter(([, outcome]) => outcome.outcome === "dead_lettered")
        .map(([messageId]) => messageId)
        .sort();
      const dlqSourceIds = deadLetters
        .map((m) => m.MessageAttributes?.[DLQ_ATTRIBUTES.sourceMessageId]?.StringValue ?? "")
        .sort();
      expect(dlqSourceIds).toEqual(deadLetteredIds);
      for (const letter of deadLetters) {
        const reason = letter.MessageAttributes?.[DLQ_ATTRIBUTES.reason]?.StringValue;
        expect(FAILURE_REASONS).toContain(reason);
      }
      expect(await dlqDepth(scenario)).toBe(0);

      // Ghosts' events all end in the DLQ; at least one as not_found.
      const ghostSubjects = new Set(plan.people.filter((p) => p.ghost).map((p) => p.subject));
      const ghostOutcomes = sent
        .filter(({ planned }) => ghostSubjects.has(planned.event.subject))
        .map(({ messageId }) => accounted.get(messageId));
      expect(ghostOutcomes.every((o) => o?.outcome === "dead_lettered")).toBe(true);
      expect(ghostOutcomes.some((o) => o?.reason === "not_found")).toBe(true);

      // Every person without a dead-lettered event ends as their newest event asked.
      const deadLetteredSubjects = new Set(
        [...accounted.values()]
          .filter((o) => o.outcome === "dead_lettered")
          .map((o) => o.subject ?? ""),
      );
      const wrong: string[] = [];
      let checked = 0;
      for (const [subject, messages] of plan.messages) {
        const person = seeded.get(subject);
        if (!person || deadLetteredSubjects.has(subject)) continue;
        const wish = newestWish(messages);
        checked += 1;
        if (person.accountEnabled() !== wish || person.osisActive() !== wish) {
          wrong.push(
            `${subject}: wanted ${wish}, account ${person.accountEnabled()}, osis ${person.osisActive()}`,
          );
        }
      }
      expect(wrong).toEqual([]);
      expect(checked).toBeGreaterThan(plan.people.length / 2);

      // Every one of them whose newest event is an offboard holds no active S3 key.
      const activeKeys: string[] = [];
      for (const [subject, held] of keys) {
        if (deadLetteredSubjects.has(subject)) continue;
        if (newestWish(plan.messages.get(subject) ?? []) !== false) continue;
        const active = Object.entries(held.active()).filter(([, on]) => on);
        for (const [accessKey] of active) activeKeys.push(`${subject}: ${accessKey}`);
      }
      expect(activeKeys).toEqual([]);

      // The workload did exercise duplicates and staleness.
      const kinds = [...accounted.values()].map((o) => o.outcome);
      expect(kinds).toContain("applied");
      expect(kinds).toContain("duplicate");
      expect(kinds).toContain("stale");

      // No secret in any log line.
      const secrets = [
        environment.accountPlatformCredentials.clientSecret,
        environment.osisCredentials.password,
        Buffer.from(
          `${environment.accountPlatformCredentials.clientId}:${environment.accountPlatformCredentials.clientSecret}`,
        ).toString("base64"),
        Buffer.from(
          `${environment.osisCredentials.username}:${environment.osisCredentials.password}`,
        ).toString("base64"),
        ...issuedTokens,
        ...[...keys.values()].flatMap((held) => held.secrets),
      ];
      expect(issuedTokens.length).toBeGreaterThan(0);
      expect(scenario.logs.lines.length).toBeGreaterThan(0);
      const leaks = scenario.logs.lines.filter((line) =>
        secrets.some((secret) => secret.length > 0 && line.includes(secret)),
      );
      expect(leaks).toEqual([]);

      expect(unhandled).toEqual([]);
      scenario.close();

      const counts = Object.fromEntries(
        ["applied", "duplicate", "stale", "dead_lettered"].map((kind) => [
          kind,
          kinds.filter((k) => k === kind).length,
        ]),
      );
      console.info(
        `chaos seed ${settings.seed}: ${sent.length} messages, ${JSON.stringify(counts)}, ` +
          `${plan.totals.duplicates} duplicates, ${plan.totals.outOfOrder} out of order, ` +
          `${checked} people checked, ${killed.abandonedBatches} batches killed`,
      );
    },
    TEST_TIMEOUT_MS,
  );
});

/** Fresh queues with a short visibility timeout, so records of a killed batch come back soon. */
async function chaosScenario(environment: ConsumerEnvironment): Promise<Scenario> {
  const name = `chaos-${randomUUID().slice(0, 8)}`;
  const queues = await createLifecycleQueues(environment.sqs, {
    queueName: `${name}.fifo`,
    dlqName: `${name}-dlq.fifo`,
    visibilityTimeoutSeconds: QUEUE_VISIBILITY_SECONDS,
    maxReceiveCount: 1_000,
  });
  const attributes = await environment.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queues.queueUrl, AttributeNames: ["QueueArn"] }),
  );
  return new Scenario(environment, {
    ...queues,
    queueArn: attributes.Attributes?.QueueArn ?? `arn:aws:sqs:us-east-1:000000000000:${name}.fifo`,
    options: { env: TUNING, random: mulberry32(settings.seed + 2) },
  });
}

/** Sends each person's messages in plan order; people in parallel, a few at a time. */
async function sendPlan(
  scenario: Scenario,
  seeded: ReadonlyMap<string, SeededPerson>,
): Promise<SentMessage[]> {
  const sent: SentMessage[] = [];
  const subjects = [...plan.messages.keys()];
  const sendPerson = async (subject: string) => {
    for (const planned of plan.messages.get(subject) ?? []) {
      const event = { ...planned.event, data: dataFor(subject, seeded) } as LifecycleEvent;
      // A duplicate is a producer's re-send after SQS's deduplication window: a new message.
      const messageId = await scenario.send(event, { deduplicationId: randomUUID() });
      sent.push({ messageId, planned });
    }
  };
  const workers = Array.from({ length: 16 }, async () => {
    for (let subject = subjects.shift(); subject; subject = subjects.shift()) {
      await sendPerson(subject);
    }
  });
  await Promise.all(workers);
  return sent;
}

function dataFor(subject: string, seeded: ReadonlyMap<string, SeededPerson>) {
  const person = seeded.get(subject);
  if (person) return person.data;
  return {
    accountPlatform: { userId: randomUUID() },
    osis: { tenantId: OSIS_TENANT_ID, userId: `ghost-${subject}` },
  };
}

const FINAL = new Set(["applied", "duplicate", "stale", "dead_lettered"]);

function terminalCount(outcomes: readonly RecordOutcome[]): number {
  return outcomes.filter((o) => FINAL.has(o.outcome)).length;
}

function finalOutcomesByMessage(outcomes: readonly RecordOutcome[]) {
  const byMessage = new Map<string, RecordOutcome[]>();
  for (const outcome of outcomes) {
    if (!FINAL.has(outcome.outcome)) continue;
    const list = byMessage.get(outcome.messageId) ?? [];
    list.push(outcome);
    byMessage.set(outcome.messageId, list);
  }
  return byMessage;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("the condition was not met in time");
    await sleep(20);
  }
}

async function dlqDepth(scenario: Scenario): Promise<number> {
  return (await queueDepth(scenario.environment.sqs, scenario.dlqUrl)).total;
}
