import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqsClient } from "../../../../shared/runtime/aws/aws-clients.ts";
import { deadLetterOf, event } from "../cli-fixtures.ts";
import { CliStack } from "../cli-harness.ts";

let stack: CliStack;
beforeAll(async () => {
  stack = await CliStack.start();
});
afterAll(async () => {
  await stack.stop();
});

describe("lifecycle dlq discard", () => {
  it("writes each dead letter in full to the audit log before deleting it", async () => {
    const ws = await stack.workspace();
    const doomed = event("emp-70");
    const kept = event("emp-71");
    await ws.deadLetter(deadLetterOf(doomed, { reason: "invalid_event" }));
    await ws.deadLetter(deadLetterOf(kept, { reason: "not_found" }));
    const auditPath = join(ws.cwd, "ops", "trail.log");
    const auditAtDelete: string[] = [];
    const watchingDeletes = (options: Parameters<typeof createSqsClient>[0]) => {
      const client = createSqsClient(options);
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === "DeleteMessageCommand") {
            auditAtDelete.push(await readFile(auditPath, "utf8"));
          }
          return next(args);
        },
        { step: "initialize", name: "readAuditAtDelete" },
      );
      return client;
    };

    const result = await ws.run(
      ["dlq", "discard", "--reason", "invalid_event", "--yes", "--audit-log", "ops/trail.log"],
      { clients: { sqs: watchingDeletes } },
    );

    expect(result.code).toBe(0);
    expect(result.stdout).toContain("1 dead letter discarded");
    expect(auditAtDelete).toHaveLength(1);
    const line = JSON.parse(auditAtDelete[0]?.trim() ?? "{}") as Record<string, unknown>;
    expect(line).toMatchObject({
      action: "discard",
      eventId: doomed.id,
      message: {
        body: JSON.stringify(doomed),
        messageAttributes: { "lifecycle.failure.reason": "invalid_event" },
        systemAttributes: { MessageGroupId: "emp-70" },
      },
    });
    expect(await ws.depth(ws.dlqUrl)).toBe(1);
    expect(await ws.visible(ws.dlqUrl)).toBe(1);
  });

  it("reaches a person's later dead letters once the first is discarded", async () => {
    const ws = await stack.workspace();
    await ws.deadLetter(deadLetterOf(event("emp-72")));
    await ws.deadLetter(deadLetterOf(event("emp-72")));
    await ws.deadLetter(deadLetterOf(event("emp-72")));
    const result = await ws.run(["dlq", "discard", "--subject", "emp-72", "--yes"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("3 dead letters discarded");
    expect(await ws.depth(ws.dlqUrl)).toBe(0);
  });

  it("refuses an --id two sources both used unless --source says whose, and then discards only that one", async () => {
    const ws = await stack.workspace();
    const fromHr = event("emp-80", { id: "4711-1795400000", source: "urn:test:hr" });
    const fromBamboo = event("emp-81", { id: "4711-1795400000", source: "bamboohr" });
    await ws.deadLetter(deadLetterOf(fromHr));
    await ws.deadLetter(deadLetterOf(fromBamboo));

    const refused = await ws.run(["dlq", "discard", "--id", fromHr.id, "--yes"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("matches dead letters of 2 sources (bamboohr, urn:test:hr)");
    expect(refused.stderr).toContain("--source");
    expect(await ws.depth(ws.dlqUrl)).toBe(2);

    const chosen = await ws.run([
      "dlq",
      "discard",
      "--id",
      fromHr.id,
      "--source",
      "bamboohr",
      "--yes",
    ]);
    expect(chosen.code).toBe(0);
    expect(chosen.stdout).toContain("1 dead letter discarded");
    expect(await ws.depth(ws.dlqUrl)).toBe(1);
    const [left] = await ws
      .run(["dlq", "list", "--json"])
      .then((r) => JSON.parse(r.stdout) as { subject: string }[]);
    expect(left?.subject).toBe("emp-80");
  });

  it("refuses without --yes when nobody can be asked, and deletes nothing", async () => {
    const ws = await stack.workspace();
    await ws.deadLetter(deadLetterOf(event("emp-73")));
    const result = await ws.run(["dlq", "discard", "--all"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("pass --yes");
    expect(await ws.visible(ws.dlqUrl)).toBe(1);
  });

  it("asks on a terminal: yes discards, anything else leaves the dead letters", async () => {
    const ws = await stack.workspace();
    await ws.deadLetter(deadLetterOf(event("emp-74")));

    const declined = await ws.run(["dlq", "discard", "--all"], { stdin: "no\n", stdinIsTty: true });
    expect(declined.code).toBe(1);
    expect(declined.stderr).toContain("Discard 1 dead letter for good?");
    expect(declined.stderr).toContain("Cancelled");
    expect(await ws.visible(ws.dlqUrl)).toBe(1);

    const accepted = await ws.run(["dlq", "discard", "--all"], {
      stdin: "yes\n",
      stdinIsTty: true,
    });
    expect(accepted.code).toBe(0);
    expect(await ws.depth(ws.dlqUrl)).toBe(0);
  });
});
