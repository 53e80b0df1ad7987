import { setTimeout as sleep } from "node:timers/promises";
import { createConsumerHandler } from "../functions/consumer/create-handler.ts";
import { queueDepth } from "../shared/operator/queues/queue-depth.ts";
import type { RecordOutcome } from "../shared/runtime/consumer/outcome.ts";
import type { PlatformName } from "../shared/runtime/errors/platform-errors.ts";
import { benchPoller, consumerDependencies, enqueue, OSIS_TENANT_ID } from "./drain-benchmark.ts";
import { RemoteStack } from "./remote-stack.ts";
import { massOffboarding } from "./workload.ts";

export interface OutageSettings {
  down: PlatformName;
  /** How long the platform answers every call 503. */
  outageMs: number;
  /** Offboards that arrive, spread over the first half of the outage. */
  offboards: number;
  latencyMs: number;
  concurrency: number;
}

export interface OutageResult extends OutageSettings {
  deadLettered: number;
  /** Calls that reached the down platform while it was down. */
  downCalls: number;
  /** Of those, the most in any 5-second window once the breaker had opened. */
  maxCallsPer5s: number;
  /** Records released to wait for the breaker (no attempt counted). */
  waits: number;
  /** From the end of the outage until every event was applied and the queue empty. */
  drainAfterRecoveryMs: number;
  applied: number;
}

/**
 * Issue 15's outage at full size, with the consumer's default settings (breaker after 5
 * failures, a probe every 5 s, waiting records back every 30 s): one platform answers 503 to
 * every call for `outageMs` while offboards arrive.
 */
export async function runOutage(settings: OutageSettings): Promise<OutageResult> {
  const outcomes: RecordOutcome[] = [];
  const stack = await RemoteStack.start();
  const { file } = stack;
  const sqs = stack.sqsClient();
  const dependencies = consumerDependencies(file, {}, (outcome) => outcomes.push(outcome));
  const workload = massOffboarding(settings.offboards);
  const { poller, drained } = benchPoller(
    sqs,
    file,
    createConsumerHandler(dependencies),
    settings.concurrency,
  );
  try {
    const accountIds = await stack.seed(workload.people, OSIS_TENANT_ID);
    const idOf = new Map(workload.people.map((subject, index) => [subject, accountIds[index]]));
    await stack.configure(settings.latencyMs, undefined);
    await stack.clearCalls();
    await stack.outage(settings.down, "503");
    const started = Date.now();
    poller.start();
    const batches = Math.ceil(workload.events.length / 10);
    for (let batch = 0; batch < batches; batch += 1) {
      const events = workload.events.slice(batch * 10, batch * 10 + 10);
      await enqueue(sqs, file.queueUrl, { ...workload, events }, idOf, new Map());
      await sleep(settings.outageMs / 2 / batches);
    }
    await sleep(Math.max(0, settings.outageMs - (Date.now() - started)));
    await stack.outage(settings.down, undefined);
    const ended = Date.now();
    await drained();
    const drainAfterRecoveryMs = Date.now() - ended;
    const times = (await stack.callTimes(settings.down)).filter((at) => at < ended);
    // The breaker opens within the first seconds; count windows from then on.
    const steady = times.filter((at) => at >= started + 5_000);
    const maxCallsPer5s = Math.max(
      0,
      ...steady.map((at) => steady.filter((other) => other >= at && other < at + 5_000).length),
    );
    return {
      ...settings,
      deadLettered: (await queueDepth(sqs, file.dlqUrl)).total,
      downCalls: times.length,
      maxCallsPer5s,
      waits: outcomes.filter((o) => o.cause === "platform_unavailable").length,
      drainAfterRecoveryMs,
      applied: outcomes.filter((o) => o.outcome === "applied").length,
    };
  } finally {
    await poller.stop();
    dependencies.close();
    sqs.destroy();
    await stack.stop();
  }
}
