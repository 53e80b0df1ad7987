import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deadLetterOf, event } from "../cli-fixtures.ts";
import { CliStack } from "../cli-harness.ts";

let stack: CliStack;
beforeAll(async () => {
  stack = await CliStack.start();
});
afterAll(async () => {
  await stack.stop();
});

describe("lifecycle dlq list", () => {
  it("shows each dead letter's event, failure and age, and says which environment it read", async () => {
    const ws = await stack.workspace();
    const first = event("emp-1");
    await ws.deadLetter(deadLetterOf(first, { reason: "not_found", target: "osis", status: 404 }));
    await ws.deadLetter(deadLetterOf(event("emp-2"), { reason: "retries_exhausted" }));

    const result = await ws.run(["dlq", "list"], {
      now: () => Date.parse("2026-11-22T13:30:00Z"),
    });

    expect(result.code).toBe(0);
    expect(result.stderr).toContain("Acting on local stack (.lifecycle/local.json).");
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toMatch(
      /^EVENT ID\s+SUBJECT\s+TYPE\s+EVENT TIME\s+REASON\s+TARGET\s+HTTP\s+ATTEMPTS\s+AGE$/,
    );
    const row = lines.find((line) => line.includes(first.id));
    expect(row).toMatch(/emp-1\s+user\.offboarded\s+\S+\s+not_found\s+osis\s+404\s+3\s+3h 30m/);
    expect(result.stderr).toContain("2 dead letters listed.");
    // Everything read was released: the DLQ is as it was.
    expect(await ws.visible(ws.dlqUrl)).toBe(2);
  });

  it("filters by reason, target, subject, failure time and id, and prints JSON", async () => {
    const ws = await stack.workspace();
    const a = event("emp-a");
    const b = event("emp-b");
    const c = event("emp-c");
    await ws.deadLetter(
      deadLetterOf(a, {
        reason: "not_found",
        target: "osis",
        at: Date.parse("2026-11-22T10:00:00Z"),
      }),
    );
    const bMessage = await ws.deadLetter(
      deadLetterOf(b, { reason: "version_conflict", at: Date.parse("2026-11-22T12:00:00Z") }),
    );
    await ws.deadLetter(
      deadLetterOf(c, {
        reason: "not_found",
        target: "account-platform",
        at: Date.parse("2026-11-22T12:30:00Z"),
      }),
    );

    const ids = async (args: string[]) => {
      const result = await ws.run(["dlq", "list", "--json", ...args]);
      expect(result.code).toBe(0);
      return (JSON.parse(result.stdout) as { eventId: string }[]).map((e) => e.eventId).sort();
    };
    expect(await ids(["--reason", "not_found"])).toEqual([a.id, c.id].sort());
    expect(await ids(["--reason", "not_found", "--target", "osis"])).toEqual([a.id]);
    expect(await ids(["--subject", "emp-b,emp-c"])).toEqual([b.id, c.id].sort());
    expect(await ids(["--since", "2026-11-22T12:00:00Z"])).toEqual([b.id, c.id].sort());
    expect(await ids(["--id", bMessage])).toEqual([b.id]);
    expect(await ids(["--id", a.id])).toEqual([a.id]);

    const all = JSON.parse((await ws.run(["dlq", "list", "--json"])).stdout) as Record<
      string,
      unknown
    >[];
    const entry = all.find((e) => e.eventId === a.id);
    expect(entry).toMatchObject({
      subject: "emp-a",
      groupId: "emp-a",
      reason: "not_found",
      target: "osis",
      status: 503,
      attempts: 3,
      valid: true,
      body: JSON.stringify(a),
    });
  });

  it("refuses an unknown reason as a usage error", async () => {
    const ws = await stack.workspace();
    const result = await ws.run(["dlq", "list", "--reason", "bogus"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--reason must be one of: ");
  });

  it("pages through every person, releases what it read, and says what FIFO locking hid", async () => {
    const ws = await stack.workspace();
    for (let i = 0; i < 25; i += 1) await ws.deadLetter(deadLetterOf(event(`person-${i}`)));
    // A second dead letter of person-0 waits behind the first (FIFO group lock).
    await ws.deadLetter(deadLetterOf(event("person-0")));

    const result = await ws.run(["dlq", "list", "--json"]);

    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as { subject: string; messageId: string }[];
    expect(new Set(listed.map((e) => e.subject)).size).toBe(25);
    expect(new Set(listed.map((e) => e.messageId)).size).toBe(listed.length);
    expect(result.stderr).toContain("The DLQ holds about 26 messages");
    expect(await ws.visible(ws.dlqUrl)).toBe(26);
  });

  it("lists a body that is not an event, as the consumer dead-lettered it", async () => {
    const ws = await stack.workspace();
    await ws.deadLetter(
      deadLetterOf("not json at all", { reason: "invalid_event", target: undefined }),
    );
    const result = await ws.run(["dlq", "list", "--json"]);
    const [entry] = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(entry).toMatchObject({
      valid: false,
      groupId: "invalid",
      reason: "invalid_event",
      body: "not json at all",
    });
  });
});
