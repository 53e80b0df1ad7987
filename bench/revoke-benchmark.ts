import { setTimeout as sleep } from "node:timers/promises";
import { waitUntilDrained } from "../local/wait-until-drained.ts";
import { queueDepth } from "../shared/operator/queues/queue-depth.ts";
import { signStandardWebhook } from "../shared/runtime/webhook/standard-webhooks.ts";
import { loadConsumer } from "./consumer-under-test.ts";
import { benchPoller, OSIS_TENANT_ID } from "./drain-benchmark.ts";
import { RemoteStack } from "./remote-stack.ts";
import { percentile } from "./statistics.ts";

export interface RevokeSettings {
  /** Offboards per second through the webhook, and for how long. */
  rate: number;
  seconds: number;
  /** Offboards posted at once, after the steady run. */
  burst: number;
  latencyMs: number;
  /** Calls per second each platform simulator accepts. */
  rateLimit: number;
  concurrency: number;
}

/** Times to revoke (ms): from the webhook's 202 to the moment both platforms were written. */
export interface RevokeTimes {
  events: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Offboards whose person was not cut on both platforms when the queue drained. */
  notCut: number;
  /** Every offboard's time (ms): what runs of one build are pooled from. */
  samples: number[];
}

export interface RevokeResult {
  /** "working tree" or the compared git ref. */
  label: string;
  settings: RevokeSettings;
  steady: RevokeTimes;
  burst: RevokeTimes & {
    /** From the first post of the burst to the last person cut. */
    lastCutMs: number;
    /** The least the platforms' rate limit allows: a read and a write per offboard and platform. */
    boundMs: number;
  };
  deadLettered: number;
  /** Posts the webhook answered 503 (the queue refused them) and the sender posted again. */
  webhookRetries: number;
  /** Runs pooled into these figures (1: a single run). */
  runs: number;
}

/**
 * Time to revoke, the figure a user cares about: offboards sent through the local webhook
 * (signed, one CloudEvent each) while the consumer runs behind the event-source poller at its
 * default settings (the mass-offboarding guard off, as in the drain benchmark), the
 * simulators at the set latency and rate limit. First a steady rate for a while, then a burst
 * posted at once. The times come from the simulators' own call logs: each person's first
 * write answered 200 on each platform, the later of the two.
 */
export async function runRevoke(
  settings: RevokeSettings,
  consumerRoot?: { label: string; root: string },
): Promise<RevokeResult> {
  const stack = await RemoteStack.start();
  const { file } = stack;
  const sqs = stack.sqsClient();
  const consumer = await loadConsumer({
    label: consumerRoot?.label ?? "working tree",
    root: consumerRoot?.root,
    file,
    tuning: {},
    onOutcome: () => {},
  });
  const { poller, running } = benchPoller(sqs, file, consumer.handler, settings.concurrency);
  try {
    const steadyPeople = names("steady", Math.round(settings.rate * settings.seconds));
    const burstPeople = names("burst", settings.burst);
    const accountIds = await stack.seed([...steadyPeople, ...burstPeople], OSIS_TENANT_ID);
    const accountIdOf = new Map(
      [...steadyPeople, ...burstPeople].map((subject, index) => [subject, accountIds[index] ?? ""]),
    );
    await stack.configure(settings.latencyMs, settings.rateLimit);
    await stack.clearCalls();
    poller.start();
    let webhookRetries = 0;
    const post = webhookPoster(file.webhookUrl, file.webhookSecret, accountIdOf, () => {
      webhookRetries += 1;
    });
    const drained = () =>
      waitUntilDrained({
        sqs,
        queueUrl: file.queueUrl,
        invocationsRunning: running,
        timeoutMs: 15 * 60_000,
        intervalMs: 50,
      });

    const steadyStart = performance.now();
    const steadyAccepted = await Promise.all(
      steadyPeople.map(async (subject, index) => {
        const due = steadyStart + (index * 1000) / settings.rate;
        await sleep(Math.max(0, due - performance.now()));
        return post(subject);
      }),
    );
    await drained();

    const burstStarted = Date.now();
    const burstAccepted = await inFlight(burstPeople, 50, post);
    await drained();

    const writes = await stack.firstWrites();
    const cutAt = (subject: string) => {
      const account = writes.accountPlatform[accountIdOf.get(subject) ?? ""];
      const osis = writes.osis[`osis-${subject}`];
      return account === undefined || osis === undefined ? undefined : Math.max(account, osis);
    };
    const timesOf = (people: string[], acceptedAt: number[]): RevokeTimes => {
      const times: number[] = [];
      let notCut = 0;
      for (const [index, subject] of people.entries()) {
        const cut = cutAt(subject);
        if (cut === undefined) notCut += 1;
        else times.push(cut - (acceptedAt[index] ?? cut));
      }
      return revokeTimes(times, people.length, notCut);
    };
    const burstCuts = burstPeople.map(cutAt).filter((at) => at !== undefined);
    return {
      label: consumer.label,
      settings,
      steady: timesOf(steadyPeople, steadyAccepted),
      burst: {
        ...timesOf(burstPeople, burstAccepted),
        lastCutMs: Math.max(...burstCuts) - burstStarted,
        boundMs: ((settings.burst * 2) / settings.rateLimit) * 1000,
      },
      deadLettered: (await queueDepth(sqs, file.dlqUrl)).total,
      webhookRetries,
      runs: 1,
    };
  } finally {
    await poller.stop();
    await consumer.close();
    sqs.destroy();
    await stack.stop();
  }
}

/** The figures of `samples` (ms), out of `events` offboards of which `notCut` were not cut. */
export function revokeTimes(samples: number[], events: number, notCut: number): RevokeTimes {
  return {
    events,
    p50Ms: percentile(samples, 0.5),
    p90Ms: percentile(samples, 0.9),
    p99Ms: percentile(samples, 0.99),
    maxMs: Math.max(...samples),
    notCut,
    samples,
  };
}

function names(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}-${index}`);
}

/** Posts one signed offboard; resolves with when the 202 came (epoch ms). */
function webhookPoster(
  webhookUrl: string,
  secret: string,
  accountIdOf: ReadonlyMap<string, string>,
  onRetry: () => void,
): (subject: string) => Promise<number> {
  return async (subject) => {
    const body = JSON.stringify({
      specversion: "1.0",
      id: `revoke-${subject}`,
      source: "urn:bench:hr",
      type: "user.offboarded",
      subject,
      time: new Date().toISOString(),
      data: {
        accountPlatform: { userId: accountIdOf.get(subject) ?? "" },
        osis: { tenantId: OSIS_TENANT_ID, userId: `osis-${subject}` },
      },
    });
    // A 503 asks the sender to try again (the queue refused the event): a sender does, and the
    // time to revoke counts from the 202 that finally came.
    for (let attempt = 1; ; attempt += 1) {
      const response = await fetch(`${webhookUrl}/events`, {
        method: "POST",
        headers: {
          "content-type": "application/cloudevents+json",
          ...signStandardWebhook({ secret, body }),
        },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      await response.arrayBuffer();
      if (response.status === 202) return Date.now();
      if (response.status !== 503 || attempt === 5) {
        throw new Error(`the webhook answered ${response.status} for ${subject}, not 202`);
      }
      onRetry();
      await sleep(200 * attempt);
    }
  };
}

/** Runs `task` over `items`, `limit` at a time; results in item order. */
async function inFlight<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let index = next++; index < items.length; index = next++) {
        results[index] = await task(items[index] as T);
      }
    }),
  );
  return results;
}
