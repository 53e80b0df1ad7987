import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BreakerStore } from "../../../../shared/runtime/breaker/breaker-store.ts";
import { CliStack, LEDGER_TABLE } from "../cli-harness.ts";

let stack: CliStack;
let store: BreakerStore;
beforeAll(async () => {
  stack = await CliStack.start();
  store = new BreakerStore({ client: stack.dynamodb, tableName: LEDGER_TABLE });
});
afterAll(async () => {
  await stack.stop();
});

const OPENED = Date.parse("2026-11-30T09:00:00Z");

describe("lifecycle platforms", () => {
  it("shows each platform's breaker: closed by default, open with its next probe", async () => {
    const ws = await stack.workspace();
    const before = await ws.run(["platforms"]);
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/account-platform\s+\|?\s*closed/);
    expect(before.stdout).toMatch(/osis\s+\|?\s*closed/);

    await store.addFailure("osis", OPENED);
    expect(await store.open("osis", OPENED, OPENED + 5_000)).toBe(true);
    const during = await ws.run(["platforms"]);
    expect(during.stdout).toMatch(
      /osis\s+\|?\s*open\s+\|?\s*2026-11-30T09:00:00Z\s+\|?\s*2026-11-30T09:00:05Z/,
    );
    expect(during.stdout).toMatch(/account-platform\s+\|?\s*closed/);

    const json = await ws.run(["platforms", "--json"]);
    expect(JSON.parse(json.stdout)).toEqual([
      { platform: "account-platform", phase: "closed", failures: 0 },
      expect.objectContaining({ platform: "osis", phase: "open", openedAt: OPENED }),
    ]);
  });
});
