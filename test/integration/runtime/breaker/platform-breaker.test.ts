import { describe, expect, it } from "vitest";
import {
  createDynamoDbClient,
  LOCAL_AWS_CREDENTIALS,
} from "../../../../shared/runtime/aws/aws-clients.ts";
import { BreakerStore } from "../../../../shared/runtime/breaker/breaker-store.ts";
import { PlatformBreaker } from "../../../../shared/runtime/breaker/platform-breaker.ts";
import { CircuitOpenError } from "../../../../shared/runtime/errors/platform-errors.ts";
import type { CallStatus } from "../../../../shared/runtime/http/call-record.ts";
import { captureLogs } from "../../../support/captured-logs.ts";
import { useLedgerTables } from "../../../support/ledger-tables.ts";

const dynamodb = useLedgerTables();

const SETTINGS = { failureThreshold: 3, probeIntervalMs: 5_000 };

/** Several execution environments (one breaker each) sharing one item, on one virtual clock. */
async function environments(count: number, storeClient = dynamodb.client()) {
  const tableName = await dynamodb.freshTable("breaker");
  const store = new BreakerStore({ client: storeClient, tableName });
  const clock = { now: 1_000_000 };
  const logs = captureLogs();
  const breakers = Array.from(
    { length: count },
    () =>
      new PlatformBreaker({
        platform: "osis",
        store,
        settings: SETTINGS,
        logger: logs.logger,
        now: () => clock.now,
      }),
  );
  return { store, clock, logs, breakers };
}

/** One exchange through a breaker: refused (false) or made, ending with `status` (true). */
async function call(breaker: PlatformBreaker, status: CallStatus): Promise<boolean> {
  try {
    const admission = await breaker.admit({ operation: "getUser" });
    await admission.done({ status });
    return true;
  } catch (error) {
    if (error instanceof CircuitOpenError) return false;
    throw error;
  }
}

describe("PlatformBreaker on the DynamoDB stand-in", () => {
  it("opens after consecutive outage signs across environments, and then calls no more", async () => {
    const { store, clock, logs, breakers } = await environments(3);
    const [a, b, c] = breakers as [PlatformBreaker, PlatformBreaker, PlatformBreaker];
    expect(await call(a, 503)).toBe(true);
    expect(await call(b, "timeout")).toBe(true);
    expect((await store.read("osis")).phase).toBe("closed");
    expect(await call(c, "network")).toBe(true);
    expect(await store.read("osis")).toMatchObject({ phase: "open", failures: 3 });
    expect(await c.isOpenNow()).toBe(true);

    // The others learn it from the item once their cached state is older than half an interval.
    clock.now += 2_500;
    expect(await Promise.all([call(a, 200), call(b, 200), call(c, 200)])).toEqual([
      false,
      false,
      false,
    ]);
    const opened = logs.records().filter((line) => String(line.message).includes("opened"));
    expect(opened).toHaveLength(1);
  });

  it("counts consecutive failures only: an answer in between starts the count again", async () => {
    const { store, breakers } = await environments(1);
    const [a] = breakers as [PlatformBreaker];
    await call(a, 502);
    await call(a, 502);
    await call(a, 404);
    await call(a, 502);
    await call(a, 502);
    expect(await store.read("osis")).toMatchObject({ phase: "closed", failures: 2 });
    // 429 and 501 are answers from a platform that is up.
    await call(a, 429);
    await call(a, 501);
    expect(await store.read("osis")).toMatchObject({ phase: "closed", failures: 0 });
  });

  it("starts the count again on an answer in any environment, whatever it last read", async () => {
    const { store, breakers } = await environments(2);
    const [a, b] = breakers as [PlatformBreaker, PlatformBreaker];
    // a has just read the item: no failures, as far as it knows.
    await call(a, 200);
    await call(b, 503);
    await call(b, 503);
    await call(a, 200);
    await call(b, 503);
    expect(await store.read("osis")).toMatchObject({ phase: "closed", failures: 1 });
  });

  it("lets one probe through per interval, whatever the number of environments", async () => {
    const { clock, breakers } = await environments(4);
    for (const breaker of breakers.slice(0, 3)) await call(breaker, 503);
    let made = 0;
    for (let tick = 0; tick < 8; tick += 1) {
      clock.now += 2_500;
      const calls = await Promise.all(breakers.map((breaker) => call(breaker, 503)));
      made += calls.filter(Boolean).length;
    }
    // 20 s of outage at a 5 s interval: 4 probes, never two at once.
    expect(made).toBe(4);
  });

  it("closes on a probe that got an answer, logged once, and calls go again", async () => {
    const { store, clock, logs, breakers } = await environments(2);
    const [a, b] = breakers as [PlatformBreaker, PlatformBreaker];
    for (let i = 0; i < 3; i += 1) await call(a, 503);
    clock.now += SETTINGS.probeIntervalMs;
    expect(await call(b, 404)).toBe(true);
    expect(await store.read("osis")).toMatchObject({ phase: "closed", failures: 0 });
    clock.now += 2_500;
    expect(await Promise.all([call(a, 200), call(b, 200)])).toEqual([true, true]);
    const closed = logs.records().filter((line) => String(line.message).includes("closed"));
    expect(closed).toHaveLength(1);
  });

  it("tells a caller how long to wait without a call", async () => {
    const { clock, breakers } = await environments(1);
    const [a] = breakers as [PlatformBreaker];
    expect(await a.waitingUntil()).toBeUndefined();
    for (let i = 0; i < 3; i += 1) await call(a, 503);
    expect(await a.waitingUntil()).toBe(clock.now + SETTINGS.probeIntervalMs);
    clock.now += SETTINGS.probeIntervalMs;
    expect(await a.waitingUntil()).toBeUndefined();
  });

  it("fails safe: with its item out of reach it behaves as closed and warns once", async () => {
    const unreachable = createDynamoDbClient({
      endpoint: "http://127.0.0.1:9",
      credentials: LOCAL_AWS_CREDENTIALS,
      requestTimeoutMs: 200,
      maxAttempts: 1,
    });
    try {
      const { logs, breakers } = await environments(1, unreachable);
      const [a] = breakers as [PlatformBreaker];
      for (let i = 0; i < 6; i += 1) expect(await call(a, 503)).toBe(true);
      expect(await a.waitingUntil()).toBeUndefined();
      const warnings = logs.records().filter((line) => line.level === "WARN");
      expect(warnings).toHaveLength(1);
    } finally {
      unreachable.destroy();
    }
  });
});
