import { describe, expect, it } from "vitest";
import type { RecentAnswers } from "../../../../shared/runtime/pace/answer-window.ts";
import {
  afterRefusal,
  giveTurnBack,
  type PaceState,
  DEFAULT_PACE_SETTINGS as SETTINGS,
  takeTurn,
  UNPACED,
} from "../../../../shared/runtime/pace/pace-rules.ts";

const window = { refusedInClump: 1 };
const heavy: RecentAnswers = { answeredPerSecond: 200, refusedShare: 0.2, ...window };
const sporadic: RecentAnswers = { answeredPerSecond: 200, refusedShare: 0.02, ...window };
const clumped: RecentAnswers = { ...sporadic, refusedInClump: 4 };

function pacedAt(perSecond: number, cutAt = 0, bestLimit = 0): PaceState {
  return { perSecond, bestLimit, cutAt, nextSlotAt: cutAt, grownAt: cutAt, heldAt: cutAt };
}

describe("the pace of a platform's requests", () => {
  it("lets requests go at once until the platform refuses heavily (rule 1)", () => {
    expect(takeTurn(UNPACED, 5, SETTINGS).startAt).toBe(5);
    const refusal = { now: 10_000, sentAt: 9_990, recent: sporadic };
    expect(afterRefusal(UNPACED, refusal, SETTINGS)).toEqual(UNPACED);
  });

  it("sets the pace just under the rate the platform answered (rule 2)", () => {
    const state = afterRefusal(UNPACED, { now: 10_000, sentAt: 9_990, recent: heavy }, SETTINGS);
    expect(state.perSecond).toBe(190);
  });

  it("takes a clump of refusals among the last answers as heavy (rule 1)", () => {
    const refusal = { now: 10_000, sentAt: 9_990, recent: clumped };
    expect(afterRefusal(UNPACED, refusal, SETTINGS).perSecond).toBe(190);
  });

  it("cuts again on a 429 to a request sent a settling second after the last cut, not before (rule 3)", () => {
    const state = pacedAt(210, 10_000);
    const early = { now: 10_800, sentAt: 10_500, recent: sporadic };
    expect(afterRefusal(state, early, SETTINGS)).toEqual(state);
    const governed = { now: 11_200, sentAt: 11_100, recent: sporadic };
    expect(afterRefusal(state, governed, SETTINGS).perSecond).toBe(190);
  });

  it("cuts from the pace when the platform answered more than was sent (rule 3)", () => {
    const refusal = { now: 11_200, sentAt: 11_100, recent: sporadic };
    expect(afterRefusal(pacedAt(100, 10_000), refusal, SETTINGS).perSecond).toBe(95);
  });

  it("at most halves the pace in a cut, and never goes below the floor (rule 4)", () => {
    const swamped = { answeredPerSecond: 0, refusedShare: 1, refusedInClump: 10 };
    const refusal = { now: 11_200, sentAt: 11_100, recent: swamped };
    expect(afterRefusal(pacedAt(100, 10_000), refusal, SETTINGS).perSecond).toBe(47.5);
    expect(afterRefusal(pacedAt(1, 10_000), refusal, SETTINGS).perSecond).toBe(1);
  });

  it("spaces requests 1/pace apart in order of arrival (rule 5)", () => {
    let state = pacedAt(100, 0);
    const starts: number[] = [];
    for (let request = 0; request < 3; request += 1) {
      const turn = takeTurn(state, 0, { ...SETTINGS, growthPerSecond: 0 });
      state = turn.state;
      starts.push(turn.startAt);
    }
    expect(starts).toEqual([0, 10, 20]);
  });

  it("moves the later turns one earlier when a waiting request is given up (rule 5)", () => {
    const settings = { ...SETTINGS, growthPerSecond: 0 };
    let state = pacedAt(100, 0);
    for (let request = 0; request < 3; request += 1) state = takeTurn(state, 0, settings).state;
    expect(state.nextSlotAt).toBe(30);
    state = giveTurnBack(giveTurnBack(state, 5), 5);
    expect(takeTurn(state, 5, settings).startAt).toBe(10);
    expect(giveTurnBack(UNPACED, 5)).toEqual(UNPACED);
  });

  it("grows only while requests wait for their turn, faster far below the best rate (rule 6)", () => {
    const idle = takeTurn(pacedAt(100, 0), 1_000, SETTINGS).state;
    expect(idle.perSecond).toBe(100);
    const waiting = takeTurn({ ...pacedAt(100, 0), nextSlotAt: 2_000 }, 1_000, SETTINGS).state;
    expect(waiting.perSecond).toBeCloseTo(100 * (1 + SETTINGS.growthPerSecond));
    const belowBest = { ...pacedAt(100, 0, 200), nextSlotAt: 2_000 };
    const regaining = takeTurn(belowBest, 1_000, SETTINGS).state;
    expect(regaining.perSecond).toBeCloseTo(100 * (1 + SETTINGS.regainPerSecond));
  });

  it("forgets the pace after a spell with no cut and no request held back (rule 7)", () => {
    const quiet = takeTurn(pacedAt(100, 0), SETTINGS.forgetAfterMs, SETTINGS);
    expect(quiet.state).toEqual(UNPACED);
    const holding = { ...pacedAt(100, 0), heldAt: SETTINGS.forgetAfterMs - 1 };
    expect(takeTurn(holding, SETTINGS.forgetAfterMs, SETTINGS).state.perSecond).toBe(100);
  });

  it("sets no pace before a whole window of answers was watched (rule 8)", () => {
    const refusal = { now: 300, sentAt: 290, recent: undefined };
    expect(afterRefusal(UNPACED, refusal, SETTINGS)).toEqual(UNPACED);
  });
});
