import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CancelMessageMoveTaskCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { runNativeRedrive } from "../../../../shared/operator/dead-letters/native-redrive.ts";
import { runCli } from "../../../integration/cli/run-cli.ts";

// The local SQS stand-in lacks the message-move API, so SQS is mocked here (only here).
const QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/events.fifo";
const DLQ_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/events-dlq.fifo";
const QUEUE_ARN = "arn:aws:sqs:eu-west-1:123456789012:events.fifo";
const DLQ_ARN = "arn:aws:sqs:eu-west-1:123456789012:events-dlq.fifo";

const client = new SQSClient({ region: "eu-west-1" });
const sqs = mockClient(client);
afterEach(() => sqs.reset());

function answerArns() {
  sqs
    .on(GetQueueAttributesCommand, { QueueUrl: QUEUE_URL, AttributeNames: ["QueueArn"] })
    .resolves({ Attributes: { QueueArn: QUEUE_ARN } })
    .on(GetQueueAttributesCommand, { QueueUrl: DLQ_URL, AttributeNames: ["QueueArn"] })
    .resolves({ Attributes: { QueueArn: DLQ_ARN } });
}

async function native(args: string[], options: { signal?: AbortSignal } = {}) {
  const cwd = await mkdtemp(join(tmpdir(), "native-"));
  const result = await runCli(
    cwd,
    [
      "dlq",
      "redrive",
      "--all",
      "--native",
      "--queue-url",
      QUEUE_URL,
      "--dlq-url",
      DLQ_URL,
      ...args,
    ],
    { clients: { sqs: () => client }, sleep: async () => {}, ...options },
  );
  return { ...result, cwd };
}

describe("lifecycle dlq redrive --all --native", () => {
  it("starts a move task with the source queue as explicit destination and follows it to the end", async () => {
    answerArns();
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: "task-1" });
    sqs
      .on(ListMessageMoveTasksCommand)
      .resolvesOnce({
        Results: [
          {
            Status: "RUNNING",
            ApproximateNumberOfMessagesMoved: 3,
            ApproximateNumberOfMessagesToMove: 10,
          },
        ],
      })
      .resolves({
        Results: [
          {
            Status: "COMPLETED",
            ApproximateNumberOfMessagesMoved: 10,
            ApproximateNumberOfMessagesToMove: 10,
          },
        ],
      });

    const result = await native(["--rate", "50"]);

    expect(result.code).toBe(0);
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)[0]?.args[0].input).toEqual({
      SourceArn: DLQ_ARN,
      DestinationArn: QUEUE_ARN,
      MaxNumberOfMessagesPerSecond: 50,
    });
    expect(sqs.commandCalls(ListMessageMoveTasksCommand)[0]?.args[0].input).toMatchObject({
      SourceArn: DLQ_ARN,
    });
    expect(result.stderr).toContain("without the stale pre-check");
    expect(result.stderr).toContain("Native redrive completed: 10 messages moved of 10.");
    const audit = (await readFile(join(result.cwd, ".lifecycle", "audit.log"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(audit.map((line) => line.action)).toEqual([
      "native_move_requested",
      "native_move_started",
      "native_move_finished",
    ]);
    expect(audit[0]).toMatchObject({ sourceArn: DLQ_ARN, destinationArn: QUEUE_ARN });
    expect(audit[2]).toMatchObject({ status: "COMPLETED", moved: 10, taskHandle: "task-1" });
  });

  it("cancels the task on Ctrl-C and exits 1 saying what was left", async () => {
    answerArns();
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: "task-2" });
    const interrupt = new AbortController();
    sqs
      .on(ListMessageMoveTasksCommand)
      .callsFakeOnce(() => {
        interrupt.abort();
        return {
          Results: [
            {
              Status: "RUNNING",
              ApproximateNumberOfMessagesMoved: 4,
              ApproximateNumberOfMessagesToMove: 20,
            },
          ],
        };
      })
      .resolves({
        Results: [
          {
            Status: "CANCELLED",
            ApproximateNumberOfMessagesMoved: 5,
            ApproximateNumberOfMessagesToMove: 20,
          },
        ],
      });
    sqs.on(CancelMessageMoveTaskCommand).resolves({ ApproximateNumberOfMessagesMoved: 5 });

    const result = await native([], { signal: interrupt.signal });

    expect(result.code).toBe(1);
    expect(sqs.commandCalls(CancelMessageMoveTaskCommand).map((c) => c.args[0].input)).toEqual([
      { TaskHandle: "task-2" },
    ]);
    expect(result.stderr).toContain(
      "Native redrive cancelled: 5 messages moved of 20; the rest is still in the DLQ.",
    );
  });

  it("reports a failed task with SQS's reason", async () => {
    answerArns();
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: "task-3" });
    sqs.on(ListMessageMoveTasksCommand).resolves({
      Results: [
        {
          Status: "FAILED",
          FailureReason: "AWS.SimpleQueueService.NonExistentQueue",
          ApproximateNumberOfMessagesMoved: 0,
        },
      ],
    });
    const result = await native([]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "Native redrive failed (AWS.SimpleQueueService.NonExistentQueue)",
    );
  });

  it("needs --all and no filters, and keeps --rate within SQS's 500 per second", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "native-"));
    const withFilter = await runCli(cwd, ["dlq", "redrive", "--native", "--reason", "not_found"]);
    expect(withFilter.code).toBe(2);
    expect(withFilter.stderr).toContain("--native moves the whole DLQ: it needs --all.");
    const tooFast = await runCli(cwd, ["dlq", "redrive", "--all", "--native", "--rate", "900"]);
    expect(tooFast.code).toBe(2);
    expect(sqs.calls()).toHaveLength(0);
  });

  it("says in its help that the stale pre-check is skipped but the ledger still refuses stale events", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "native-"));
    const help = await runCli(cwd, ["dlq", "redrive", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout.replace(/\s+/g, " ")).toContain(
      "It skips the stale pre-check: the consumer's ledger still refuses stale events",
    );
  });
});

describe("the native move and its audit line", () => {
  it("writes the line before starting the move, and a line it cannot write stops the move", async () => {
    answerArns();
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: "task-9" });
    const written: string[] = [];
    const failing = {
      write: async (action: string) => {
        written.push(action);
        throw new Error("disk full");
      },
    };
    await expect(
      runNativeRedrive({
        sqs: client,
        dlqUrl: DLQ_URL,
        queueUrl: QUEUE_URL,
        audit: failing,
        dryRun: false,
      }),
    ).rejects.toThrow("disk full");
    expect(written).toEqual(["native_move_requested"]);
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
  });
});
