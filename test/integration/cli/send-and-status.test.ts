import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARRIVAL_ATTRIBUTE } from "../../../shared/runtime/events/arrival.ts";
import { sourceDeduplicationId } from "../../../shared/runtime/events/deduplication-id.ts";
import type { LifecycleEvent } from "../../../shared/runtime/events/lifecycle-event.ts";
import { event, recordApplied } from "./cli-fixtures.ts";
import { CliStack, runCli } from "./cli-harness.ts";

let stack: CliStack;
beforeAll(async () => {
  stack = await CliStack.start();
});
afterAll(async () => {
  await stack.stop();
});

describe("lifecycle send", () => {
  it("builds an event from flags, with defaults, and enqueues it grouped by person", async () => {
    const ws = await stack.workspace();
    const result = await ws.run(
      [
        "send",
        "--type",
        "offboarded",
        "--subject",
        "emp-42",
        "--account-login",
        "jdoe",
        "--osis-cd-user-id",
        "jdoe",
        "--json",
      ],
      { now: () => Date.parse("2026-11-23T09:30:00Z") },
    );

    expect(result.code).toBe(0);
    const [sent] = JSON.parse(result.stdout) as { eventId: string; messageId: string }[];
    const [message] = await ws.receive(ws.queueUrl);
    expect(message?.MessageId).toBe(sent?.messageId);
    const body = JSON.parse(message?.Body ?? "{}") as LifecycleEvent;
    expect(body).toEqual({
      specversion: "1.0",
      id: sent?.eventId,
      source: "urn:lifecycle:cli",
      time: "2026-11-23T09:30:00.000Z",
      type: "user.offboarded",
      subject: "emp-42",
      data: { accountPlatform: { login: "jdoe" }, osis: { cdUserId: "jdoe" } },
    });
    expect(message?.Attributes?.MessageGroupId).toBe("emp-42");
    expect(message?.Attributes?.MessageDeduplicationId).toBe(sourceDeduplicationId(body));
    expect(message?.MessageAttributes?.[ARRIVAL_ATTRIBUTE]?.StringValue).toBe(
      "2026-11-23T09:30:00.000Z",
    );
  });

  it("reads NDJSON from a file and a JSON array from stdin, printing each id", async () => {
    const ws = await stack.workspace();
    const a = event("emp-80");
    const b = event("emp-81");
    const file = join(ws.cwd, "events.ndjson");
    await writeFile(file, `${JSON.stringify(a)}\n\n${JSON.stringify(b)}\n`);
    const fromFile = await ws.run(["send", "--file", "events.ndjson"]);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).toContain(`event ${a.id}`);
    expect(fromFile.stdout).toContain(`event ${b.id}`);

    const c = event("emp-82");
    const { id: _omitted, ...withoutId } = event("emp-83");
    const fromStdin = await ws.run(["send", "--file", "-", "--json"], {
      stdin: JSON.stringify([c, withoutId]),
    });
    expect(fromStdin.code).toBe(0);
    const sent = JSON.parse(fromStdin.stdout) as { eventId: string }[];
    expect(sent[0]?.eventId).toBe(c.id);
    expect(sent[1]?.eventId).toMatch(/^content-[0-9a-f]{64}$/);
    expect(await ws.depth(ws.queueUrl)).toBe(4);
  });

  it("refuses (exit 2) a file whose events lack a time, naming each line; nothing is sent", async () => {
    const ws = await stack.workspace();
    const { time: _a, ...first } = event("emp-70");
    const dated = event("emp-71");
    const { time: _c, ...third } = event("emp-72");
    const result = await ws.run(["send", "--file", "-"], {
      stdin: [first, dated, third].map((e) => JSON.stringify(e)).join("\n"),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("line 1: $.time is required in a file");
    expect(result.stderr).toContain("line 3: $.time is required in a file");
    expect(result.stderr).not.toContain("line 2:");
    expect(await ws.depth(ws.queueUrl)).toBe(0);
  });

  it("sends the same file twice as the same events (ids from the content), auditing each send", async () => {
    const ws = await stack.workspace();
    const { id: _a, ...leaver } = event("emp-73");
    const { id: _b, ...joiner } = event("emp-74", { type: "user.onboarded" });
    await writeFile(
      join(ws.cwd, "export.ndjson"),
      `${JSON.stringify(leaver)}\n${JSON.stringify(joiner)}\n`,
    );
    const first = await ws.run(["send", "--file", "export.ndjson", "--json"]);
    const again = await ws.run(["send", "--file", "export.ndjson", "--json"]);
    expect(first.code).toBe(0);
    expect(again.code).toBe(0);
    const ids = (out: string) => (JSON.parse(out) as { eventId: string }[]).map((s) => s.eventId);
    expect(ids(again.stdout)).toEqual(ids(first.stdout));
    expect(new Set(ids(first.stdout)).size).toBe(2);
    // The second send carries the same deduplication ids: the queue holds each event once.
    expect(await ws.depth(ws.queueUrl)).toBe(2);

    const lines = (await readFile(join(ws.cwd, ".lifecycle", "audit.log"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({
      action: "sent",
      eventId: ids(first.stdout)[0],
      source: "urn:test:hr",
      subject: "emp-73",
      type: "user.offboarded",
      eventTime: leaver.time,
      messageId: expect.any(String),
      operator: expect.any(String),
    });
  });

  it("refuses the whole input when any event is invalid, naming each problem", async () => {
    const ws = await stack.workspace();
    const good = event("emp-84");
    const bad = { ...event("emp-85"), subject: "has spaces", data: {} };
    const result = await ws.run(["send", "--file", "-"], {
      stdin: `${JSON.stringify(good)}\n${JSON.stringify(bad)}\n`,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("line 2: $.subject must be 1-128 characters");
    expect(result.stderr).toContain("Not every event is valid, so nothing was sent.");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await ws.depth(ws.queueUrl)).toBe(0);
  });

  it("refuses (exit 2) an event that could change more than one person", async () => {
    const ws = await stack.workspace();
    const dots = ["--osis-tenant-id", "t1", "--osis-user-id", ".."];
    const result = await ws.run(["send", "--type", "offboarded", "--subject", "emp-87", ...dots]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--osis-user-id must not be `.` or `..`");

    const marked = { ...event("emp-88"), lifecyclecorrects: '["urn:test:hr","e-1"]' };
    const forged = await ws.run(["send", "--file", "-"], { stdin: JSON.stringify(marked) });
    expect(forged.code).toBe(2);
    expect(forged.stderr).toContain("$.lifecyclecorrects is set only by reconciliation");

    const now = () => Date.parse("2026-11-23T09:30:00Z");
    const flags = (time: string) => ["--account-login", "jdoe", "--time", time];
    const send = (time: string, env: Record<string, string> = {}) =>
      ws.run(["send", "--dry-run", "--type", "offboarded", "--subject", "emp-89", ...flags(time)], {
        now,
        env,
      });
    const typo = await send("2062-11-23T09:30:00Z");
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("--time is more than 300 seconds ahead of now");
    expect((await send("2026-11-23T10:30:00Z")).code).toBe(2);
    const allowed = await send("2026-11-23T10:30:00Z", { LIFECYCLE_MAX_FUTURE_SECONDS: "3600" });
    expect(allowed.code).toBe(0);
    expect(await ws.depth(ws.queueUrl)).toBe(0);
  });

  it("validates without sending on --dry-run", async () => {
    const ws = await stack.workspace();
    const result = await ws.run([
      "send",
      "--dry-run",
      "--type",
      "onboarded",
      "--subject",
      "emp-86",
      "--account-user-id",
      "0b7d1d8e-7a8e-4c64-9d5b-0f5f4a4f3b1a",
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ type: "user.onboarded", subject: "emp-86" });
    expect(await ws.depth(ws.queueUrl)).toBe(0);
  });

  it("needs flags or a file", async () => {
    const ws = await stack.workspace();
    const result = await ws.run(["send"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Nothing to send");
  });
});

describe("lifecycle status", () => {
  it("shows the person's newest applied event, state and history", async () => {
    const ws = await stack.workspace();
    const applied = event("emp-90");
    await recordApplied(stack.ledger, applied);
    const result = await ws.run(["status", "emp-90"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Person emp-90");
    expect(result.stdout).toMatch(
      new RegExp(
        `Newest applied:\\s+user\\.offboarded of \\S+ \\(event ${applied.id} from urn:test:hr\\)`,
      ),
    );
    expect(result.stdout).toContain("disabled / inactive");
    expect(result.stdout).toMatch(/History \(newest first\):\nAT\s+OUTCOME/);
    expect(result.stdout).toMatch(
      new RegExp(`applied\\s+user\\.offboarded\\s+\\S+\\s+${applied.id}`),
    );

    const json = await ws.run(["status", "emp-90", "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      subject: "emp-90",
      newestApplied: { id: applied.id },
    });
  });

  it("exits 1 with one sentence for a person the ledger does not know", async () => {
    const ws = await stack.workspace();
    const result = await ws.run(["status", "nobody-here"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("The ledger has no record of nobody-here");
  });
});

describe("where the command acts", () => {
  it("says how to name an environment when none is given (usage error)", async () => {
    const empty = await mkdtemp(join(tmpdir(), "lifecycle-empty-"));
    const result = await runCli(empty, ["dlq", "list"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "No dead-letter queue URL to act on: pass --dlq-url, set DLQ_URL, start the local stack (npm start), or name a deployed stack with --stack NAME",
    );
  });

  it("takes queues from the environment and endpoints from AWS_ENDPOINT_URL_*", async () => {
    const ws = await stack.workspace();
    const elsewhere = await mkdtemp(join(tmpdir(), "lifecycle-env-"));
    const result = await runCli(elsewhere, ["dlq", "list"], {
      env: {
        DLQ_URL: ws.dlqUrl,
        AWS_ENDPOINT_URL_SQS: stack.sqsServer.endpoint,
        AWS_REGION: "us-east-1",
      },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `Acting on DLQ_URL in us-east-1 via ${stack.sqsServer.endpoint}.`,
    );
  });

  it("explains a local stack file left by a stack that is no longer running", async () => {
    const ws = await stack.workspace(
      {
        queueUrl: "http://127.0.0.1:9/000000000000/gone.fifo",
        dlqUrl: "http://127.0.0.1:9/000000000000/gone-dlq.fifo",
      },
      { sqsEndpoint: "http://127.0.0.1:9", dynamodbEndpoint: "http://127.0.0.1:9" },
    );
    const result = await ws.run(["dlq", "list"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "Could not connect to http://127.0.0.1:9 (ECONNREFUSED): is the local stack running (npm start)?",
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
