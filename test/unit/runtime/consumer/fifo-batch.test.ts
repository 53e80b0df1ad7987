import { describe, expect, it } from "vitest";
import { processFifoBatch } from "../../../../shared/runtime/consumer/fifo-batch.ts";

interface Rec {
  id: string;
  group: string;
}

const rec = (id: string, group: string): Rec => ({ id, group });

function run(
  records: Rec[],
  options: {
    fails?: string[];
    throws?: string[];
    concurrency?: number;
    canStart?: () => boolean;
  } = {},
) {
  const order: string[] = [];
  let active = 0;
  let peak = 0;
  const promise = processFifoBatch(records, {
    groupOf: (r) => r.group,
    concurrency: options.concurrency ?? 10,
    canStart: options.canStart ?? (() => true),
    process: async (r) => {
      active += 1;
      peak = Math.max(peak, active);
      order.push(r.id);
      await new Promise((resolve) => setTimeout(resolve, 5));
      active -= 1;
      if (options.throws?.includes(r.id)) throw new Error("boom");
      return options.fails?.includes(r.id) ? "failed" : "ok";
    },
    isFailure: (result) => result === "failed",
    onThrow: () => "failed",
  });
  return { promise, order, peak: () => peak };
}

describe("processFifoBatch", () => {
  it("after a failure in a group, reports the rest of that group untried; other groups go on", async () => {
    const { promise, order } = run(
      [
        rec("a1", "A"),
        rec("b1", "B"),
        rec("a2", "A"),
        rec("b2", "B"),
        rec("a3", "A"),
        rec("a4", "A"),
      ],
      { fails: ["a2"] },
    );
    const results = await promise;
    expect(order).not.toContain("a3");
    expect(order).not.toContain("a4");
    expect(
      results.map((r) => (r.ran ? `${r.record.id}:${r.result}` : `${r.record.id}:${r.cause}`)),
    ).toEqual([
      "a1:ok",
      "b1:ok",
      "a2:failed",
      "b2:ok",
      "a3:after_group_failure",
      "a4:after_group_failure",
    ]);
  });

  it("runs one group in batch order and counts a throw as a failure", async () => {
    const { promise, order } = run([rec("a1", "A"), rec("a2", "A"), rec("a3", "A")], {
      throws: ["a2"],
    });
    const results = await promise;
    expect(order).toEqual(["a1", "a2"]);
    expect(results[1]).toMatchObject({ ran: true, result: "failed" });
    expect(results[2]).toMatchObject({ ran: false, cause: "after_group_failure" });
  });

  it("runs groups concurrently, no more than the bound", async () => {
    const records = ["A", "B", "C", "D", "E", "F"].map((g) => rec(g, g));
    const bounded = run(records, { concurrency: 2 });
    await bounded.promise;
    expect(bounded.peak()).toBe(2);
    const wide = run(records, { concurrency: 10 });
    await wide.promise;
    expect(wide.peak()).toBe(6);
  });

  it("starts nothing once the deadline is near, and reports it untried", async () => {
    let started = 0;
    const { promise } = run([rec("a1", "A"), rec("a2", "A"), rec("b1", "B")], {
      concurrency: 1,
      canStart: () => started++ < 1,
    });
    const results = await promise;
    expect(results.filter((r) => r.ran).map((r) => r.record.id)).toEqual(["a1"]);
    expect(results.filter((r) => !r.ran).map((r) => (r.ran ? "" : r.cause))).toEqual([
      "deadline",
      "deadline",
    ]);
  });

  it("answers at once when told to stop: running records unfinished, the rest untried", async () => {
    const stop = new AbortController();
    const never = new Promise<string>(() => {});
    const results = processFifoBatch([rec("a1", "A"), rec("a2", "A"), rec("b1", "B")], {
      groupOf: (r) => r.group,
      concurrency: 1,
      canStart: () => true,
      stop: stop.signal,
      process: (r) => (r.id === "a1" ? never : Promise.resolve("ok")),
      isFailure: () => false,
      onThrow: () => "failed",
    });
    setTimeout(() => stop.abort(), 10);
    expect((await results).map((r) => (r.ran ? r.result : r.cause))).toEqual([
      "unfinished",
      "deadline",
      "deadline",
    ]);
  });
});
