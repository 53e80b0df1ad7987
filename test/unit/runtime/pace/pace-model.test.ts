import { describe, expect, it } from "vitest";
import { runPaceModel } from "./pace-model.ts";

// Two minutes of virtual time each, in well under a second of real time.
const CONSUMER = { callers: 50, latencyMs: 20, seconds: 120 };

describe("the pace against platforms, on a virtual clock", () => {
  it("holds at least 95% of a rate limit with at most 1% of requests refused", () => {
    const unpaced = runPaceModel({ ...CONSUMER, limitPerSecond: 200, paced: false });
    const paced = runPaceModel({ ...CONSUMER, limitPerSecond: 200, paced: true });
    expect(unpaced.share429).toBeGreaterThan(0.05);
    expect(paced.answeredPerSecond).toBeGreaterThanOrEqual(0.95 * 200);
    expect(paced.share429).toBeLessThanOrEqual(0.01);
  });

  it("does not slow down for sporadic 429s that do not depend on the rate", () => {
    const sporadic = { ...CONSUMER, random429Share: 0.016 };
    const unpaced = runPaceModel({ ...sporadic, paced: false });
    const paced = runPaceModel({ ...sporadic, paced: true });
    expect(paced.answeredPerSecond).toBeGreaterThanOrEqual(0.95 * unpaced.answeredPerSecond);
  });

  // A consumer with few answers a second (slow answers, or a starved CPU) watches few: one
  // sporadic 429 among fewer than 20 answers is already 5% of them.
  it("does not slow down for sporadic 429s when it gets few answers", () => {
    for (const seed of [1, 2, 3, 4]) {
      const slow = { callers: 16, latencyMs: 800, seconds: 120, random429Share: 0.016, seed };
      const unpaced = runPaceModel({ ...slow, paced: false });
      const paced = runPaceModel({ ...slow, paced: true });
      expect(paced.answeredPerSecond, `seed ${seed}`).toBeGreaterThanOrEqual(
        0.95 * unpaced.answeredPerSecond,
      );
    }
  });

  it("finds a low limit that many callers at once overrun, without starving", () => {
    const paced = runPaceModel({ ...CONSUMER, limitPerSecond: 20, paced: true });
    expect(paced.answeredPerSecond).toBeGreaterThanOrEqual(0.9 * 20);
    expect(paced.share429).toBeLessThanOrEqual(0.05);
  });

  // The weak spot: once paced, a sporadic 429 cannot be told from the limit's, and each one
  // cuts; the regain keeps the pace from sinking to the floor.
  it("does not starve at a limit that also refuses sporadically", () => {
    const both = { ...CONSUMER, limitPerSecond: 200, random429Share: 0.016, paced: true };
    expect(runPaceModel(both).answeredPerSecond).toBeGreaterThanOrEqual(0.25 * 200);
  });
});
