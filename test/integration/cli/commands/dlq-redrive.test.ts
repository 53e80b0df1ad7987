import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DLQ_ATTRIBUTES } from "../../../../shared/contract/dead-letter-attributes.ts";
import {
  createSqsClient,
  LOCAL_AWS_CREDENTIALS,
} from "../../../../shared/runtime/aws/aws-clients.ts";
import { ARRIVAL_ATTRIBUTE } from "../../../../shared/runtime/events/arrival.ts";
import { sourceDeduplicationId } from "../../../../shared/runtime/events/deduplication-id.ts";
import { deadLetterOf, event, recordApplied } from "../cli-fixtures.ts";
import { CliStack } from "../cli-harness.ts";

let stack: CliStack;
beforeAll(async () => {
  stack = await CliStack.start();
});
afterAll(async () => {
  await stack.stop();
});

async function auditLines(cwd: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(join(cwd, ".lifecycle", "audit.log"), "utf8");
  return text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("lifecycle dlq redrive", () => {
  it("moves the selected dead letters back: same body and group, a fresh deduplication id, the redrive count and the first arrival", async () => {
    const ws = await stack.workspace();
    const chosen = event("emp-10");
    const other = event("emp-11");
    const body = JSON.stringify(chosen, null, 1); // byte for byte, whatever its spacing
    await ws.deadLetter({
      ...deadLetterOf(chosen, { reason: "not_found", redriveCount: "2" }),
      body,
      arrivedAt: Date.parse("2026-11-20T10:00:05Z"),
    });
    await ws.deadLetter(deadLetterOf(other, { reason: "version_conflict" }));

    const result = await ws.run(["dlq", "redrive", "--reason", "not_found"]);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`moved\\s+${chosen.id}\\s+emp-10`));
    expect(result.stderr).toContain("1 dead letter moved; 1 not selected.");
    const [moved, ...rest] = await ws.receive(ws.queueUrl);
    expect(rest).toHaveLength(0);
    expect(moved?.Body).toBe(body);
    expect(moved?.Attributes?.MessageGroupId).toBe("emp-10");
    expect(moved?.Attributes?.MessageDeduplicationId).not.toBe(sourceDeduplicationId(chosen));
    expect(moved?.MessageAttributes).toEqual({
      [DLQ_ATTRIBUTES.redriveCount]: { DataType: "String", StringValue: "3" },
      // A redrive never makes the event newer: it keeps when the product first received it.
      [ARRIVAL_ATTRIBUTE]: { DataType: "String", StringValue: "2026-11-20T10:00:05.000Z" },
    });
    expect(await ws.depth(ws.dlqUrl)).toBe(1);

    const audit = await auditLines(ws.cwd);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "redriven",
      environment: "local stack (.lifecycle/local.json)",
      eventId: chosen.id,
      subject: "emp-10",
      newMessageId: moved?.MessageId,
      redriveCount: 3,
      failure: { reason: "not_found", target: "account-platform", status: 503, attempts: 3 },
    });
  });

  it("redrives twice within five minutes without SQS swallowing the second", async () => {
    const ws = await stack.workspace();
    const again = event("emp-12");
    await ws.deadLetter(deadLetterOf(again));
    expect((await ws.run(["dlq", "redrive", "--id", again.id])).code).toBe(0);
    // It failed again at once and is back in the DLQ, same body; the operator redrives again.
    await ws.deadLetter(deadLetterOf(again, { redriveCount: "1" }));
    expect((await ws.run(["dlq", "redrive", "--id", again.id])).code).toBe(0);
    // A deduplication id from source + id alone would have made SQS drop the second send.
    expect(await ws.depth(ws.queueUrl)).toBe(2);
  });

  it("reaches a person's dead letters behind the first, and keeps their order", async () => {
    const ws = await stack.workspace();
    const older = event("emp-20");
    const newer = event("emp-20", { type: "user.onboarded" });
    await ws.deadLetter(deadLetterOf(older));
    await ws.deadLetter(deadLetterOf(newer));

    const result = await ws.run(["dlq", "redrive", "--subject", "emp-20"]);

    expect(result.code).toBe(0);
    expect(result.stderr).toContain("2 dead letters moved");
    expect(await ws.depth(ws.dlqUrl)).toBe(0);
    const [head] = await ws.receive(ws.queueUrl);
    expect(JSON.parse(head?.Body ?? "{}").id).toBe(older.id);
  });

  it("skips an event superseded by a newer applied one as stale, unless --include-stale", async () => {
    const ws = await stack.workspace();
    const offboard = event("emp-30");
    const rehire = event("emp-30", { type: "user.onboarded" });
    await recordApplied(stack.ledger, rehire);
    await ws.deadLetter(deadLetterOf(offboard));

    const skipped = await ws.run(["dlq", "redrive", "--subject", "emp-30"]);

    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toMatch(new RegExp(`stale, skipped\\s+${offboard.id}`));
    expect(skipped.stderr).toContain("0 dead letters moved; 1 skipped as stale");
    expect(await ws.depth(ws.queueUrl)).toBe(0);
    expect(await ws.visible(ws.dlqUrl)).toBe(1);
    expect((await auditLines(ws.cwd))[0]).toMatchObject({
      action: "skipped_stale",
      eventId: offboard.id,
      newestApplied: { id: rehire.id },
    });

    const forced = await ws.run(["dlq", "redrive", "--subject", "emp-30", "--include-stale"]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain("forced: stale");
    expect(await ws.depth(ws.queueUrl)).toBe(1);
    expect(await ws.depth(ws.dlqUrl)).toBe(0);
  });

  it("skips an event the ledger already applied as a duplicate", async () => {
    const ws = await stack.workspace();
    const applied = event("emp-31");
    await recordApplied(stack.ledger, applied);
    await ws.deadLetter(deadLetterOf(applied));
    const result = await ws.run(["dlq", "redrive", "--all"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("1 skipped as already applied");
    expect(await ws.depth(ws.queueUrl)).toBe(0);
  });

  it("does not call an event held by the guard stale for being held", async () => {
    const ws = await stack.workspace();
    const earlier = event("emp-32", { type: "user.onboarded" });
    const held = event("emp-32");
    await recordApplied(stack.ledger, earlier, [
      {
        source: held.source,
        id: held.id,
        type: held.type,
        time: Date.parse(held.time),
        outcome: "dead_lettered",
        reason: "held_by_guard",
        at: Date.now(),
      },
    ]);
    await ws.deadLetter(deadLetterOf(held, { reason: "held_by_guard", target: undefined }));

    const result = await ws.run(["dlq", "redrive", "--reason", "held_by_guard"]);

    expect(result.code).toBe(0);
    expect(result.stderr).toContain("1 dead letter moved");
    expect(await ws.depth(ws.queueUrl)).toBe(1);
  });

  it("moves nothing on a dry run, and says what it would do", async () => {
    const ws = await stack.workspace();
    const stale = event("emp-40");
    await recordApplied(stack.ledger, event("emp-40", { type: "user.onboarded" }));
    await ws.deadLetter(deadLetterOf(stale));
    const fresh = event("emp-41");
    await ws.deadLetter(deadLetterOf(fresh));

    const result = await ws.run(["dlq", "redrive", "--all", "--dry-run"]);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`would move\\s+${fresh.id}`));
    expect(result.stdout).toMatch(new RegExp(`stale, skipped\\s+${stale.id}`));
    expect(result.stderr).toContain("Dry run: 1 dead letter would move; 1 skipped as stale");
    expect(await ws.depth(ws.queueUrl)).toBe(0);
    expect(await ws.visible(ws.dlqUrl)).toBe(2);
  });

  it("loses nothing when SQS fails a send mid-redrive, and exits 1 saying what was left", async () => {
    const ws = await stack.workspace();
    for (let i = 0; i < 5; i += 1) await ws.deadLetter(deadLetterOf(event(`emp-5${i}`)));
    const before = (await ws.depth(ws.queueUrl)) + (await ws.depth(ws.dlqUrl));
    let sends = 0;
    const failingThirdSend = (options: Parameters<typeof createSqsClient>[0]) => {
      const client = createSqsClient(options);
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === "SendMessageCommand" && ++sends === 3) {
            throw Object.assign(new Error("We encountered an internal error."), {
              name: "InternalError",
              $metadata: { httpStatusCode: 500 },
            });
          }
          return next(args);
        },
        { step: "initialize", name: "failThirdSend" },
      );
      return client;
    };

    const result = await ws.run(["dlq", "redrive", "--all"], {
      clients: { sqs: failingThirdSend },
    });

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/send FAILED/);
    expect(result.stderr).toContain(
      "Redrive incomplete (1 could not be moved): 1 dead letter left in the DLQ.",
    );
    const after = (await ws.depth(ws.queueUrl)) + (await ws.depth(ws.dlqUrl));
    expect(after).toBe(before);
    expect(await ws.depth(ws.queueUrl)).toBe(4);
    expect(await ws.visible(ws.dlqUrl)).toBe(1);
    expect((await auditLines(ws.cwd)).map((line) => line.action).sort()).toEqual([
      "redrive_send_failed",
      "redriven",
      "redriven",
      "redriven",
      "redriven",
    ]);
  });

  it("stops after sends fail in a row, leaving the rest untouched", async () => {
    const ws = await stack.workspace();
    for (let i = 0; i < 6; i += 1) await ws.deadLetter(deadLetterOf(event(`emp-6${i}`)));
    const unreachable = (options: Parameters<typeof createSqsClient>[0]) => {
      const client = createSqsClient({ ...options, credentials: LOCAL_AWS_CREDENTIALS });
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === "SendMessageCommand") {
            throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
          }
          return next(args);
        },
        { step: "initialize", name: "failEverySend" },
      );
      return client;
    };

    const result = await ws.run(["dlq", "redrive", "--all"], { clients: { sqs: unreachable } });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("several sends failed in a row");
    expect(await ws.depth(ws.queueUrl)).toBe(0);
    expect(await ws.visible(ws.dlqUrl)).toBe(6);
  });

  it("stops cleanly on Ctrl-C after the message in hand, putting the rest back", async () => {
    const ws = await stack.workspace();
    for (let i = 0; i < 4; i += 1) await ws.deadLetter(deadLetterOf(event(`emp-7${i}`)));
    const interrupt = new AbortController();
    const interruptAtFirstSend = (options: Parameters<typeof createSqsClient>[0]) => {
      const client = createSqsClient(options);
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === "SendMessageCommand") interrupt.abort();
          return next(args);
        },
        { step: "initialize", name: "interruptAtFirstSend" },
      );
      return client;
    };

    const result = await ws.run(["dlq", "redrive", "--all"], {
      clients: { sqs: interruptAtFirstSend },
      signal: interrupt.signal,
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Redrive incomplete (it was interrupted)");
    expect(await ws.depth(ws.queueUrl)).toBe(1);
    expect(await ws.visible(ws.dlqUrl)).toBe(3);
  });

  it("asks for a selection or --all", async () => {
    const ws = await stack.workspace();
    const result = await ws.run(["dlq", "redrive"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Say which dead letters to redrive");
  });

  it("skips a body that is not a valid event", async () => {
    const ws = await stack.workspace();
    await ws.deadLetter(deadLetterOf('{"id":"x"}', { reason: "invalid_event" }));
    const result = await ws.run(["dlq", "redrive", "--reason", "invalid_event"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("1 skipped as invalid");
    expect(await ws.depth(ws.queueUrl)).toBe(0);
  });
});
