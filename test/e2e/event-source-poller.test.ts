import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { ReceiveMessageCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EventSourcePoller } from "../../local/event-source-poller.ts";
import type { EventSourcePollerOptions } from "../../local/event-source-poller-options.ts";
import { createLifecycleQueues } from "../../local/stand-ins/lifecycle-queues.ts";
import { type SqsServer, startSqsServer } from "../../local/stand-ins/sqs-server.ts";
import { queueDepth } from "../../shared/operator/queues/queue-depth.ts";
import { createSqsClient, LOCAL_AWS_CREDENTIALS } from "../../shared/runtime/aws/aws-clients.ts";
import { captureLogs } from "../support/captured-logs.ts";

let server: SqsServer;
let sqs: SQSClient;
const pollers: EventSourcePoller[] = [];

beforeAll(async () => {
  server = await startSqsServer();
  sqs = createSqsClient({ endpoint: server.endpoint, credentials: LOCAL_AWS_CREDENTIALS });
});

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
});

afterAll(async () => {
  sqs.destroy();
  await server.stop();
});

async function queue(): Promise<{ queueUrl: string; queueArn: string }> {
  const name = `p-${randomUUID().slice(0, 8)}`;
  const { queueUrl } = await createLifecycleQueues(sqs, {
    queueName: `${name}.fifo`,
    dlqName: `${name}-dlq.fifo`,
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 100,
  });
  return { queueUrl, queueArn: `arn:aws:sqs:us-east-1:000000000000:${name}.fifo` };
}

async function send(queueUrl: string, group: string, body = `body-${group}`): Promise<string> {
  const output = await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: body,
      MessageGroupId: group,
      MessageDeduplicationId: randomUUID(),
      MessageAttributes: { kind: { DataType: "String", StringValue: "test" } },
    }),
  );
  return output.MessageId ?? "";
}

function poll(
  target: { queueUrl: string; queueArn: string },
  handler: EventSourcePollerOptions["handler"],
  options: Partial<EventSourcePollerOptions> = {},
): EventSourcePoller {
  const poller = new EventSourcePoller({
    sqs,
    ...target,
    region: "us-east-1",
    handler,
    logger: captureLogs().logger,
    concurrency: 1,
    waitTimeSeconds: 1,
    functionTimeoutMs: 5_000,
    ...options,
  });
  poller.start();
  pollers.push(poller);
  return poller;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let round = 0; round < 400; round += 1) {
    if (condition()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("the event-source poller (Lambda's SQS event source mapping, played locally)", () => {
  it("hands the handler Lambda's event and context, deletes the successes and leaves the reported failures", async () => {
    const target = await queue();
    const ids = [await send(target.queueUrl, "a"), await send(target.queueUrl, "b")];
    const seen: { event: SQSEvent; remaining: number; context: Context }[] = [];
    const poller = poll(target, async (event, context) => {
      seen.push({ event, remaining: context.getRemainingTimeInMillis(), context });
      const failed = event.Records.filter((record) => record.messageId === ids[1]);
      return { batchItemFailures: failed.map((r) => ({ itemIdentifier: r.messageId })) };
    });
    await until(() => poller.counts.records >= 2 && poller.batchesInFlight === 0, "both records");
    await poller.stop();

    const records = seen.flatMap(({ event }) => event.Records);
    expect(records.map((r) => r.messageId).sort()).toEqual([...ids].sort());
    const record = records.find((r) => r.messageId === ids[0]);
    expect(record).toMatchObject({
      body: "body-a",
      eventSource: "aws:sqs",
      eventSourceARN: target.queueArn,
      awsRegion: "us-east-1",
      attributes: { MessageGroupId: "a", ApproximateReceiveCount: "1" },
      messageAttributes: { kind: { dataType: "String", stringValue: "test" } },
    });
    expect(record?.receiptHandle).not.toBe("");
    for (const { remaining, context } of seen) {
      expect(remaining).toBeGreaterThan(0);
      expect(remaining).toBeLessThanOrEqual(5_000);
      expect(context.awsRequestId).not.toBe("");
    }
    expect(await queueDepth(sqs, target.queueUrl)).toMatchObject({ visible: 0, inFlight: 1 });
    expect(poller.counts).toMatchObject({ deleted: 1, leftForRetry: 1 });
  });

  const wholeBatchFailures: [
    string,
    EventSourcePollerOptions["handler"],
    Partial<EventSourcePollerOptions>,
  ][] = [
    [
      "throws",
      async () => {
        throw new Error("boom");
      },
      {},
    ],
    [
      "overruns its timeout",
      async () => {
        await sleep(400);
        return { batchItemFailures: [] };
      },
      { functionTimeoutMs: 50 },
    ],
    [
      "reports a record not in its batch",
      async () => ({ batchItemFailures: [{ itemIdentifier: "not-in-this-batch" }] }),
      {},
    ],
  ];
  for (const [what, handler, options] of wholeBatchFailures) {
    it(`fails the whole batch, deleting nothing, when the handler ${what}`, async () => {
      const target = await queue();
      await send(target.queueUrl, "x");
      await send(target.queueUrl, "y");
      const poller = poll(target, handler, options);
      await until(() => poller.counts.leftForRetry >= 2, "the failed invocations");
      await poller.stop();
      expect(poller.counts.deleted).toBe(0);
      expect(await queueDepth(sqs, target.queueUrl)).toMatchObject({ visible: 0, inFlight: 2 });
    });
  }

  it("on stop, tells a running invocation its time is up and waits for it", async () => {
    const target = await queue();
    await send(target.queueUrl, "slow");
    const remaining: number[] = [];
    let started = false;
    const poller = poll(target, async (_event, context): Promise<SQSBatchResponse> => {
      started = true;
      remaining.push(context.getRemainingTimeInMillis());
      await sleep(200);
      remaining.push(context.getRemainingTimeInMillis());
      return { batchItemFailures: [] };
    });
    await until(() => started, "the invocation");
    expect(await poller.stop()).toEqual({ finished: true, abandonedBatches: 0 });
    expect(remaining[0]).toBeGreaterThan(0);
    expect(remaining[1]).toBe(0);
    expect(poller.counts.deleted).toBe(1);
  });

  it("stops waiting for an invocation after the grace period, and then deletes nothing of it", async () => {
    const target = await queue();
    await send(target.queueUrl, "stuck");
    let started = false;
    let ended = false;
    const poller = poll(
      target,
      async () => {
        started = true;
        await sleep(500);
        ended = true;
        return { batchItemFailures: [] };
      },
      { stopGraceMs: 20 },
    );
    await until(() => started, "the invocation");
    expect(await poller.stop()).toEqual({ finished: false, abandonedBatches: 1 });
    await until(() => ended && poller.batchesInFlight === 0, "the abandoned invocation");
    expect(poller.counts.deleted).toBe(0);
    expect(await queueDepth(sqs, target.queueUrl)).toMatchObject({ inFlight: 1 });
  });

  it("leaves no message invisible behind a long poll it stopped waiting for", async () => {
    const target = await queue();
    const poller = poll(target, async () => ({ batchItemFailures: [] }), {
      waitTimeSeconds: 20,
    });
    await sleep(100);
    expect(await poller.stop()).toEqual({ finished: true, abandonedBatches: 0 });
    const id = await send(target.queueUrl, "after-stop");
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: target.queueUrl, WaitTimeSeconds: 5 }),
    );
    expect(received.Messages?.map((m) => m.MessageId)).toEqual([id]);
  });
});
