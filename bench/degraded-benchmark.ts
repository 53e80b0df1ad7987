import { setTimeout as sleep } from "node:timers/promises";
import type { RandomFaultKind } from "../local/simulators/common/fault-injector.ts";
import { waitUntilDrained } from "../local/wait-until-drained.ts";
import { queueDepth } from "../shared/operator/queues/queue-depth.ts";
import type { RecordOutcome } from "../shared/runtime/consumer/outcome.ts";
import { loadConsumer } from "./consumer-under-test.ts";
import { benchPoller, enqueue, OSIS_TENANT_ID } from "./drain-benchmark.ts";
import { RemoteStack } from "./remote-stack.ts";
import { percentile } from "./statistics.ts";
import { mixed } from "./workload.ts";

export interface DegradedSettings {
  people: number;
  events: number;
  /** Share of platform calls (0..1) that get a fault, on both platforms. */
  faultRate: number;
  /** How long a stalled answer takes. */
  stallMs: number;
  latencyMs: number;
  rateLimit: number | undefined;
  concurrency: number;
  /** Consumer variables over the defaults (none: the drill's own figure). */
  tuning: Record<string, string>;
}

export interface DegradedResult {
  settings: DegradedSettings;
  drainMs: number;
  /** Per person whose newest event is an offboard: from the start until it ended. */
  revoke: { people: number; p50Ms: number; p99Ms: number; lastMs: number };
  /** People whose platforms do not show their newest event when the queue drained. */
  wrongStates: number;
  deadLettered: number;
  outcomes: Record<string, number>;
  /** Where the time went: the invocations, and the records sent back to the queue. */
  batches: { count: number; p50Ms: number; p90Ms: number; recordsPerBatch: number };
  retried: {
    count: number;
    meanWaitSeconds: number;
    byCause: Record<string, number>;
    /** Of them, OSIS targets held while an earlier write of theirs may still land. */
    heldForLateWrite: number;
  };
}

export const DEGRADED_FAULTS: RandomFaultKind[] = ["5xx", "429", "reset", "slow"];

/**
 * A platform degrades: both platforms fail a share of calls at random (5xx, 429, connection
 * resets before or after the change, answers that stall), a backlog of mixed onboards and
 * offboards over the people, the consumer at its default settings (the mass-offboarding guard
 * off, as in the drain benchmark). The clock runs until the queue is empty.
 */
export async function runDegraded(settings: DegradedSettings): Promise<DegradedResult> {
  const stack = await RemoteStack.start();
  const { file } = stack;
  const sqs = stack.sqsClient();
  const workload = mixed(settings.events, settings.people, 26);
  const outcomes: RecordOutcome[] = [];
  const endedAt = new Map<string, number>();
  const consumer = await loadConsumer({
    label: "working tree",
    file,
    tuning: settings.tuning,
    onOutcome: (outcome) => {
      outcomes.push(outcome);
      if (outcome.outcome !== "retried" && outcome.outcome !== "untried" && outcome.eventId) {
        endedAt.set(outcome.eventId, Date.now());
      }
    },
  });
  const batchMs: number[] = [];
  let records = 0;
  const timed = benchPoller(
    sqs,
    file,
    async (event, context) => {
      const started = Date.now();
      try {
        return await consumer.handler(event, context);
      } finally {
        batchMs.push(Date.now() - started);
        records += event.Records.length;
      }
    },
    settings.concurrency,
  );
  try {
    const accountIds = await stack.seed(workload.people, OSIS_TENANT_ID);
    const idOf = new Map(workload.people.map((subject, index) => [subject, accountIds[index]]));
    await stack.configure(settings.latencyMs, settings.rateLimit);
    await enqueue(sqs, file.queueUrl, workload, idOf, new Map());
    await stack.clearCalls();
    await stack.randomFaults({
      seed: 26,
      rate: settings.faultRate,
      kinds: DEGRADED_FAULTS,
      slowMs: settings.stallMs,
    });
    const started = Date.now();
    timed.poller.start();
    try {
      await waitUntilDrained({
        sqs,
        queueUrl: file.queueUrl,
        invocationsRunning: timed.running,
        timeoutMs: 20 * 60_000,
        intervalMs: 100,
      });
    } finally {
      await timed.poller.stop();
    }
    const drainMs = Date.now() - started;
    await stack.randomFaults(undefined);
    // A write stalled when the queue emptied is still applied by its simulator: the states
    // are read once every such write has landed, so a late write's harm is counted.
    await sleep(settings.stallMs + 1_000);

    const newest = new Map(workload.events.map((event) => [event.subject, event]));
    const states = await stack.states(
      workload.people.map((subject) => ({
        accountId: idOf.get(subject) ?? "",
        osisTenantId: OSIS_TENANT_ID,
        osisUserId: `osis-${subject}`,
      })),
    );
    const wrongStates = workload.people.filter((subject, index) => {
      const wanted = newest.get(subject)?.type === "user.onboarded";
      const state = states[index];
      return state?.enabled !== wanted || state.active !== wanted;
    }).length;
    const revokeTimes = [...newest.values()]
      .filter((event) => event.type === "user.offboarded")
      .map((event) => (endedAt.get(event.id) ?? Number.NaN) - started);
    const retried = outcomes.filter((o) => o.outcome === "retried");
    const byCause: Record<string, number> = {};
    for (const outcome of retried) {
      const cause = outcome.cause ?? "unknown";
      byCause[cause] = (byCause[cause] ?? 0) + 1;
    }
    const counts: Record<string, number> = {};
    for (const outcome of outcomes) counts[outcome.outcome] = (counts[outcome.outcome] ?? 0) + 1;
    return {
      settings,
      drainMs,
      revoke: {
        people: revokeTimes.length,
        p50Ms: percentile(revokeTimes, 0.5),
        p99Ms: percentile(revokeTimes, 0.99),
        lastMs: Math.max(...revokeTimes),
      },
      wrongStates,
      deadLettered: (await queueDepth(sqs, file.dlqUrl)).total,
      outcomes: counts,
      batches: {
        count: batchMs.length,
        p50Ms: percentile(batchMs, 0.5),
        p90Ms: percentile(batchMs, 0.9),
        recordsPerBatch: batchMs.length === 0 ? 0 : records / batchMs.length,
      },
      retried: {
        count: retried.length,
        meanWaitSeconds:
          retried.reduce((sum, o) => sum + (o.visibilityTimeoutSeconds ?? 0), 0) /
          Math.max(1, retried.length),
        byCause,
        heldForLateWrite: retried.filter((o) => o.detail?.includes("may still land")).length,
      },
    };
  } finally {
    await consumer.close();
    sqs.destroy();
    await stack.stop();
  }
}
