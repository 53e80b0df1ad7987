import { describe, expect, it } from "vitest";
import { GuardStore } from "../../../../shared/runtime/guard/guard-store.ts";
import { useLedgerTables } from "../../../support/ledger-tables.ts";

const dynamodb = useLedgerTables();

async function store(): Promise<GuardStore> {
  return new GuardStore({
    client: dynamodb.client(),
    tableName: await dynamodb.freshTable("guard"),
  });
}

const WINDOW = { threshold: 2, windowSeconds: 60, now: 1_000, bucketStart: 0 };

describe("GuardStore on the DynamoDB stand-in", () => {
  it("reserves up to the threshold, then refuses; a retry of a counted event keeps its slot", async () => {
    const guard = await store();
    expect(await guard.reserve({ ...WINDOW, slot: "a" })).toEqual({ reserved: true, count: 1 });
    expect(await guard.reserve({ ...WINDOW, slot: "a" })).toEqual({ reserved: true, count: 1 });
    expect(await guard.reserve({ ...WINDOW, slot: "b" })).toEqual({ reserved: true, count: 2 });
    expect(await guard.reserve({ ...WINDOW, slot: "c" })).toEqual({ reserved: false });
    expect(await guard.reserve({ ...WINDOW, slot: "b" })).toEqual({ reserved: true, count: 2 });
    expect(await guard.readBucket(0)).toMatchObject({ count: 2, threshold: 2, windowSeconds: 60 });
    // The next window counts afresh.
    expect(await guard.reserve({ ...WINDOW, bucketStart: 60_000, slot: "c" })).toEqual({
      reserved: true,
      count: 1,
    });
  });

  it("lets exactly one of many concurrent reservations past the last slot", async () => {
    const guard = await store();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        guard.reserve({ ...WINDOW, threshold: 5, slot: `s${i}` }),
      ),
    );
    expect(results.filter((r) => r.reserved)).toHaveLength(5);
    expect((await guard.readBucket(0)).count).toBe(5);
  });

  it("trips once; release re-arms it and empties the window", async () => {
    const guard = await store();
    await guard.reserve({ ...WINDOW, slot: "a" });
    const facts = { bucketStart: 0, count: 2, threshold: 2, windowSeconds: 60, now: 5_000 };
    const trips = await Promise.all([guard.trip(facts), guard.trip(facts), guard.trip(facts)]);
    expect(trips.filter(Boolean)).toHaveLength(1);
    expect(await guard.readState()).toMatchObject({ tripped: true, trippedAt: 5_000 });

    await guard.release({ bucketStart: 0, now: 9_000, by: "ops" });
    expect(await guard.readState()).toMatchObject({
      tripped: false,
      releasedAt: 9_000,
      releasedBy: "ops",
    });
    expect((await guard.readBucket(0)).count).toBe(0);
    expect(await guard.trip({ ...facts, now: 10_000 })).toBe(true);
  });
});
