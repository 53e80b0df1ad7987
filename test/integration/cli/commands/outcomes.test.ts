import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout } from "node:timers/promises";
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type EventBridgeServer,
  startEventBridgeServer,
} from "../../../../local/stand-ins/eventbridge-server.ts";
import type { LifecycleChangeOutcome } from "../../../../schemas/lifecycle-change-outcome.ts";
import {
  OUTCOME_DEFAULT_SOURCE,
  OUTCOME_DETAIL_TYPE,
} from "../../../../shared/contract/outcome-event.ts";
import { STACK_OUTPUTS } from "../../../../shared/contract/stack-outputs.ts";
import { checkedDetails } from "../../../support/outcome-schema.ts";
import { deadLetterOf, event } from "../cli-fixtures.ts";
import { CliStack } from "../cli-harness.ts";

let stack: CliStack;
let bus: EventBridgeServer;
const directories: string[] = [];
beforeAll(async () => {
  stack = await CliStack.start();
});
afterAll(async () => {
  await bus?.stop();
  await stack.stop();
  await Promise.all(directories.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A workspace whose local stack has an outcome bus, its events appended to its own file. */
async function workspaceWithBus() {
  const directory = await mkdtemp(join(tmpdir(), "outcomes-"));
  directories.push(directory);
  const outcomesFile = join(directory, "outcomes.ndjson");
  await bus?.stop();
  bus = await startEventBridgeServer({ file: outcomesFile });
  return stack.workspace(undefined, {
    eventBridgeEndpoint: bus.endpoint,
    outcomeBusName: "lifecycle-outcomes",
    outcomesFile,
  });
}

describe("the CLI's outcomes", () => {
  it("publishes discarded and redriven for the dead letters it acted on, and lists them newest first", async () => {
    const ws = await workspaceWithBus();
    const doomed = event("emp-80");
    const retried = event("emp-81");
    const doomedLetter = await ws.deadLetter(deadLetterOf(doomed, { reason: "invalid_event" }));
    const retriedLetter = await ws.deadLetter(
      deadLetterOf(retried, { reason: "platform_unavailable", target: "osis" }),
    );

    const discard = await ws.run(["dlq", "discard", "--reason", "invalid_event", "--yes"]);
    expect(discard.code, discard.stderr).toBe(0);
    const redrive = await ws.run(["dlq", "redrive", "--all", "--include-stale"]);
    expect(redrive.code, redrive.stderr).toBe(0);

    const published = checkedDetails(bus.events);
    expect(bus.events.map((e) => [e.source, e["detail-type"]])).toEqual([
      [OUTCOME_DEFAULT_SOURCE, OUTCOME_DETAIL_TYPE],
      [OUTCOME_DEFAULT_SOURCE, OUTCOME_DETAIL_TYPE],
    ]);
    expect(published).toMatchObject([
      {
        outcome: "discarded",
        reason: "invalid_event",
        dlqMessageId: doomedLetter,
        event: { id: doomed.id, source: doomed.source, subject: "emp-80" },
        targets: [{ target: "account-platform", result: "skipped" }],
      },
      {
        outcome: "redriven",
        reason: "platform_unavailable",
        dlqMessageId: retriedLetter,
        event: { id: retried.id, subject: "emp-81" },
      },
    ]);

    const listed = await ws.run(["outcomes", "--json"]);
    expect(listed.code, listed.stderr).toBe(0);
    const outcomes = JSON.parse(listed.stdout) as LifecycleChangeOutcome[];
    expect(outcomes.map((o) => o.outcome)).toEqual(["redriven", "discarded"]);

    const bySubject = await ws.run(["outcomes", "--json", "--subject", "emp-80"]);
    expect(
      (JSON.parse(bySubject.stdout) as LifecycleChangeOutcome[]).map((o) => o.outcome),
    ).toEqual(["discarded"]);
    const byOutcome = await ws.run(["outcomes", "--outcome", "redriven"]);
    expect(byOutcome.stdout).toMatch(/redriven\s+emp-81\s+user\.offboarded/);
    expect(byOutcome.stdout).not.toContain("emp-80");
    const later = await ws.run(["outcomes", "--json", "--since", "2999-01-01T00:00:00Z"]);
    expect(JSON.parse(later.stdout)).toEqual([]);
  });

  it("follows: prints what is there, then each new outcome once as it arrives, until Ctrl-C", async () => {
    const ws = await workspaceWithBus();
    await ws.deadLetter(deadLetterOf(event("emp-82"), { reason: "invalid_event" }));
    expect((await ws.run(["dlq", "discard", "--all", "--yes"])).code).toBe(0);
    const interrupt = new AbortController();
    const following = ws.run(["outcomes", "--follow", "--json"], { signal: interrupt.signal });
    await setTimeout(300);
    await ws.deadLetter(deadLetterOf(event("emp-83"), { reason: "not_found" }));
    expect((await ws.run(["dlq", "discard", "--all", "--yes"])).code).toBe(0);
    await setTimeout(2_500);
    interrupt.abort();
    const followed = await following;
    const lines = followed.stdout.trim().split("\n");
    expect(lines.map((line) => (JSON.parse(line) as LifecycleChangeOutcome).event.subject)).toEqual(
      ["emp-82", "emp-83"],
    );
  });

  it("says no outcomes when the local stack has published none", async () => {
    const ws = await stack.workspace();
    const listed = await ws.run(["outcomes"]);
    expect(listed.code).toBe(0);
    expect(listed.stderr).toContain("No outcomes.");
  });

  it("reads the stack's outcome log group with --stack, every page, from --since", async () => {
    const ws = await stack.workspace();
    const cloudFormation = new CloudFormationClient({ region: "us-east-1" });
    const logs = new CloudWatchLogsClient({ region: "us-east-1" });
    mockClient(cloudFormation)
      .on(DescribeStacksCommand)
      .resolves({
        Stacks: [
          {
            StackName: "HrLifecycleSync",
            CreationTime: new Date(),
            StackStatus: "CREATE_COMPLETE",
            Outputs: [
              { OutputKey: STACK_OUTPUTS.outcomeLogGroupName, OutputValue: "/lifecycle/outcomes" },
            ],
          },
        ],
      });
    const detail = (outcome: string, at: string, subject: string) =>
      JSON.stringify({
        "detail-type": OUTCOME_DETAIL_TYPE,
        source: OUTCOME_DEFAULT_SOURCE,
        detail: {
          outcomeId: `${outcome}${subject}`.padEnd(32, "0").slice(0, 32),
          outcome,
          at,
          event: { subject },
          targets: [],
        },
      });
    const logsMock = mockClient(logs);
    logsMock
      .on(FilterLogEventsCommand, { nextToken: undefined })
      .resolves({
        events: [{ message: detail("applied", "2026-12-01T10:00:00.000Z", "emp-1") }],
        nextToken: "page-2",
      })
      .on(FilterLogEventsCommand, { nextToken: "page-2" })
      .resolves({
        events: [
          { message: detail("dead_lettered", "2026-12-01T11:00:00.000Z", "emp-2") },
          { message: "not an outcome" },
        ],
      });

    const listed = await ws.run(
      ["--stack", "HrLifecycleSync", "outcomes", "--json", "--since", "2026-12-01T00:00:00Z"],
      { clients: { cloudFormation: () => cloudFormation, cloudWatchLogs: () => logs } },
    );

    expect(listed.code, listed.stderr).toBe(0);
    const outcomes = JSON.parse(listed.stdout) as LifecycleChangeOutcome[];
    expect(outcomes.map((o) => [o.outcome, o.event.subject])).toEqual([
      ["dead_lettered", "emp-2"],
      ["applied", "emp-1"],
    ]);
    const calls = logsMock.commandCalls(FilterLogEventsCommand).map((call) => call.args[0].input);
    expect(calls).toEqual([
      { logGroupName: "/lifecycle/outcomes", startTime: Date.parse("2026-12-01T00:00:00Z") },
      {
        logGroupName: "/lifecycle/outcomes",
        startTime: Date.parse("2026-12-01T00:00:00Z"),
        nextToken: "page-2",
      },
    ]);
  });
});
