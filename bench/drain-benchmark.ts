import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { createConsumerHandler } from "../functions/consumer/create-handler.ts";
import { EventSourcePoller } from "../local/event-source-poller.ts";
import type { SqsBatchHandler } from "../local/event-source-poller-options.ts";
import { waitUntilDrained } from "../local/wait-until-drained.ts";
import type { LocalStackFile } from "../shared/operator/configuration/local-stack-file.ts";
import { queueDepth } from "../shared/operator/queues/queue-depth.ts";
import { LOCAL_AWS_CREDENTIALS } from "../shared/runtime/aws/aws-clients.ts";
import { loadConsumerConfig } from "../shared/runtime/consumer/consumer-config.ts";
import {
  type ConsumerDependencies,
  createConsumerDependencies,
} from "../shared/runtime/consumer/consumer-dependencies.ts";
import type { RecordOutcome } from "../shared/runtime/consumer/outcome.ts";
import type { OsisCredentials } from "../shared/runtime/credentials/secret-shapes.ts";
import { StaticCredentialSource } from "../shared/runtime/credentials/static-credential-source.ts";
import { sourceDeduplicationId } from "../shared/runtime/events/deduplication-id.ts";
import { createLogger } from "../shared/runtime/logging/logger.ts";
import { noMetrics } from "../shared/runtime/metrics/metrics.ts";
import { createBaselineHandler } from "./baseline-consumer.ts";
import { RemoteStack } from "./remote-stack.ts";
import { percentile, watchPeakMemory } from "./statistics.ts";
import type { Workload } from "./workload.ts";

export type ConsumerKind = "product" | "baseline";

export interface DrainSettings {
  latencyMs: number;
  /** Calls per second each platform simulator accepts before answering 429; none if undefined. */
  rateLimit: number | undefined;
  /** Concurrent pollers (Lambda's maximum concurrency). */
  concurrency: number;
  /** Extra consumer variables (CONSUMER_*). */
  env: Record<string, string>;
  drainTimeoutMs: number;
}

export interface DrainResult {
  workload: string;
  consumer: ConsumerKind;
  /** Invocations at once (the poller's concurrency). */
  concurrency: number;
  rateLimit: number | undefined;
  events: number;
  drainMs: number;
  /** Platform calls answered (not 429) per second of the drain, per platform. */
  callsPerSecond: { accountPlatform: number; osis: number };
  throttled: number;
  /** Platform calls made (answered or 429), both platforms. */
  calls: number;
  p50EnqueueToAppliedMs: number;
  p99EnqueueToAppliedMs: number;
  /** Of the consumer's process (the servers run in another). */
  peakRssBytes: number;
  /** CPU used during the drain, in % of one core: the consumer's process, the stand-ins'. */
  cpuPercent: { consumer: number; standIns: number };
  deadLettered: number;
  /** Records per invocation: the people a batch can work on at once. */
  recordsPerBatch: number;
  outcomes: Record<string, number>;
}

export const OSIS_TENANT_ID = "bench-osis-tenant";

/**
 * One drain: a fresh local stack whose servers (fauxqs, dynalite, simulators) run in a child
 * process, the workload's people seeded and its events enqueued as a backlog; then the
 * consumer (this process: handler + event-source poller) starts and the clock runs until the
 * queue is empty and no invocation runs.
 */
export async function runDrain(
  workload: Workload,
  consumer: ConsumerKind,
  settings: DrainSettings,
): Promise<DrainResult> {
  const enqueuedAt = new Map<string, number>();
  const appliedAt = new Map<string, number>();
  const outcomes: Record<string, number> = {};
  const onOutcome = (outcome: RecordOutcome) => {
    outcomes[outcome.outcome] = (outcomes[outcome.outcome] ?? 0) + 1;
    if (outcome.outcome === "applied" && outcome.eventId) {
      appliedAt.set(outcome.eventId, Date.now());
    }
  };
  const stack = await RemoteStack.start();
  const { file } = stack;
  const sqs = stack.sqsClient();
  const dependencies = consumerDependencies(file, settings.env, onOutcome);
  try {
    const accountIds = await stack.seed(workload.people, OSIS_TENANT_ID);
    const idOf = new Map(workload.people.map((subject, index) => [subject, accountIds[index]]));
    await stack.configure(settings.latencyMs, settings.rateLimit);
    await enqueue(sqs, file.queueUrl, workload, idOf, enqueuedAt);
    await stack.clearCalls();

    const handler: SqsBatchHandler =
      consumer === "product"
        ? createConsumerHandler(dependencies)
        : createBaselineHandler(dependencies);
    const { poller, running } = benchPoller(sqs, file, handler, settings.concurrency);
    const memory = watchPeakMemory();
    const consumerCpuBefore = process.cpuUsage();
    const standInsCpuBefore = await stack.cpuMicros();
    const started = Date.now();
    poller.start();
    try {
      await waitUntilDrained({
        sqs,
        queueUrl: file.queueUrl,
        invocationsRunning: running,
        timeoutMs: settings.drainTimeoutMs,
        intervalMs: 50,
      });
    } finally {
      await poller.stop();
    }
    const drainMs = Date.now() - started;
    const consumerCpu = process.cpuUsage(consumerCpuBefore);
    const standInsCpu = (await stack.cpuMicros()) - standInsCpuBefore;
    const percentOfDrain = (micros: number) => (micros / 1000 / drainMs) * 100;
    const peakRssBytes = memory.stop();
    const counts = poller.counts;
    const calls = await stack.calls();
    const latencies = [...appliedAt].map(([id, at]) => at - (enqueuedAt.get(id) ?? at));
    return {
      workload: workload.name,
      consumer,
      concurrency: settings.concurrency,
      rateLimit: settings.rateLimit,
      events: workload.events.length,
      drainMs,
      callsPerSecond: {
        accountPlatform: calls.accountPlatform.answered / (drainMs / 1000),
        osis: calls.osis.answered / (drainMs / 1000),
      },
      throttled: calls.accountPlatform.throttled + calls.osis.throttled,
      calls:
        calls.accountPlatform.answered +
        calls.accountPlatform.throttled +
        calls.osis.answered +
        calls.osis.throttled,
      p50EnqueueToAppliedMs: percentile(latencies, 0.5),
      p99EnqueueToAppliedMs: percentile(latencies, 0.99),
      peakRssBytes,
      cpuPercent: {
        consumer: percentOfDrain(consumerCpu.user + consumerCpu.system),
        standIns: percentOfDrain(standInsCpu),
      },
      deadLettered: (await queueDepth(sqs, file.dlqUrl)).total,
      recordsPerBatch: counts.batches === 0 ? 0 : counts.records / counts.batches,
      outcomes,
    };
  } finally {
    dependencies.close();
    sqs.destroy();
    await stack.stop();
  }
}

/** The consumer as the local stack wires it, on the child's endpoints. */
export function consumerDependencies(
  file: LocalStackFile,
  tuning: Record<string, string>,
  onOutcome: (outcome: RecordOutcome) => void,
): ConsumerDependencies {
  const config = loadConsumerConfig({
    CONSUMER_GUARD_THRESHOLD: "0",
    CONSUMER_GUARD_ONBOARD_THRESHOLD: "0",
    ...tuning,
    QUEUE_URL: file.queueUrl,
    DLQ_URL: file.dlqUrl,
    LEDGER_TABLE: file.ledgerTable,
    ACCOUNT_PLATFORM_URL: file.accountPlatform.url,
    ACCOUNT_PLATFORM_TENANT_ID: file.accountPlatform.tenantId,
    OSIS_URL: file.osis.url,
    OSIS_BASE_PATH: file.osis.basePath,
    OSIS_CD_TENANT_ID: file.osis.cdTenantId,
  });
  return createConsumerDependencies({
    config,
    credentials: {
      accountPlatform: new StaticCredentialSource({
        clientId: file.accountPlatform.clientId ?? "",
        clientSecret: file.accountPlatform.clientSecret ?? "",
      }),
      osis: new StaticCredentialSource<OsisCredentials>({
        username: file.osis.username ?? "",
        password: file.osis.password ?? "",
      }),
    },
    aws: {
      region: file.region,
      credentials: LOCAL_AWS_CREDENTIALS,
      sqsEndpoint: file.sqsEndpoint,
      dynamodbEndpoint: file.dynamodbEndpoint,
      eventBridgeEndpoint: file.eventBridgeEndpoint,
    },
    logger: createLogger({ level: "error", format: "json" }),
    metrics: noMetrics,
    onOutcome,
  });
}

/** The event-source poller on the child's queue, counting the invocations running. */
export function benchPoller(
  sqs: SQSClient,
  file: LocalStackFile,
  handler: SqsBatchHandler,
  concurrency: number,
): { poller: EventSourcePoller; running: () => number; drained: () => Promise<void> } {
  let running = 0;
  const poller = new EventSourcePoller({
    sqs,
    queueUrl: file.queueUrl,
    queueArn: queueArnOf(file),
    region: file.region,
    handler: async (event, context) => {
      running += 1;
      try {
        return await handler(event, context);
      } finally {
        running -= 1;
      }
    },
    logger: createLogger({ level: "error", format: "json" }),
    concurrency,
    waitTimeSeconds: 1,
  });
  // An outage run drains its backlog once the outage is over, bounded at ten minutes.
  const drained = () =>
    waitUntilDrained({
      sqs,
      queueUrl: file.queueUrl,
      invocationsRunning: () => running,
      timeoutMs: 10 * 60_000,
      intervalMs: 100,
    });
  return { poller, running: () => running, drained };
}

function queueArnOf(file: LocalStackFile): string {
  const name = file.queueUrl.split("/").pop() ?? "";
  return `arn:aws:sqs:${file.region}:000000000000:${name}`;
}

/** Sends the events in order, ten per SendMessageBatch, as a producer's backlog. */
export async function enqueue(
  sqs: SQSClient,
  queueUrl: string,
  workload: Workload,
  accountIds: ReadonlyMap<string, string | undefined>,
  enqueuedAt: Map<string, number>,
): Promise<void> {
  for (let start = 0; start < workload.events.length; start += 10) {
    const chunk = workload.events.slice(start, start + 10);
    const now = Date.now();
    const output = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((planned, index) => {
          const event = {
            ...planned,
            data: {
              accountPlatform: { userId: accountIds.get(planned.subject) ?? "" },
              osis: { tenantId: OSIS_TENANT_ID, userId: `osis-${planned.subject}` },
            },
          };
          enqueuedAt.set(planned.id, now);
          return {
            Id: String(index),
            MessageBody: JSON.stringify(event),
            MessageGroupId: planned.subject,
            MessageDeduplicationId: sourceDeduplicationId(event),
          };
        }),
      }),
    );
    if ((output.Failed ?? []).length > 0) {
      throw new Error(`SendMessageBatch refused ${output.Failed?.length} events`);
    }
  }
}
