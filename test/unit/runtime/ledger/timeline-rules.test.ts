import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Delivery,
  type GeneratedDecision,
  referenceStateAt,
  simulate,
} from "./timeline-simulation.ts";

const ENABLED = true;
const DISABLED = false;

/** Each decision delivered once, when it arrives. */
const once = (...decisions: GeneratedDecision[]): Delivery[] =>
  decisions.map((decision) => ({ decision, tick: decision.arrival }));

describe("the timeline rule: the issue's examples", () => {
  it("a future rehire leaves a nearer termination in place: the leaver is off between them", () => {
    const termination = { id: "t", enabled: DISABLED, time: 1, arrival: 1, effective: 10 };
    const rehire = { id: "r", enabled: ENABLED, time: 2, arrival: 2, effective: 20 };
    const onboarded = { id: "o", enabled: ENABLED, time: 0, arrival: 0, effective: undefined };
    const { states } = simulate(once(onboarded, termination, rehire), 25);
    expect(states[9]).toBe(ENABLED);
    expect(states.slice(10, 20)).toEqual(new Array(10).fill(DISABLED));
    expect(states[20]).toBe(ENABLED);
  });

  it("a rescind (an onboard effective now) cancels a pending termination", () => {
    const termination = { id: "t", enabled: DISABLED, time: 1, arrival: 1, effective: 10 };
    const rescind = { id: "r", enabled: ENABLED, time: 3, arrival: 3, effective: undefined };
    const { states, record } = simulate(once(termination, rescind), 15);
    expect(states.slice(3)).toEqual(new Array(13).fill(ENABLED));
    expect(record.history.find((entry) => entry.outcome === "cancelled")?.id).toBe("t");
  });

  it("an older decision arriving late governs only the instants no newer one covers", () => {
    const newer = { id: "n", enabled: ENABLED, time: 5, arrival: 5, effective: 20 };
    // Decided before `newer`, delivered after it: it still governs up to `newer`'s instant.
    const older = { id: "o", enabled: DISABLED, time: 3, arrival: 8, effective: 10 };
    const { states } = simulate(once(newer, older), 25);
    expect(states.slice(10, 20)).toEqual(new Array(10).fill(DISABLED));
    expect(states[20]).toBe(ENABLED);
    // Effective after `newer`: it governs nothing.
    const tooLate = { ...older, effective: 22 };
    expect(simulate(once(newer, tooLate), 25).states.slice(20)).toEqual(new Array(6).fill(ENABLED));
  });

  it("an event dated ahead is decided when it arrived: a later genuine event is not held back", () => {
    const ahead = { id: "a", enabled: DISABLED, time: 25, arrival: 1, effective: undefined };
    const genuine = { id: "g", enabled: ENABLED, time: 3, arrival: 3, effective: undefined };
    const { states } = simulate(once(ahead, genuine), 10);
    expect(states.slice(1, 3)).toEqual([DISABLED, DISABLED]);
    expect(states.slice(3)).toEqual(new Array(8).fill(ENABLED));
  });
});

const UNTIL = 120;

const decisionArbitrary = (id: string) =>
  fc
    .record({
      enabled: fc.boolean(),
      arrival: fc.integer({ min: 0, max: 60 }),
      // Late (delayed in transit, redriven), on time, or dated up to four minutes ahead.
      skew: fc.oneof(fc.integer({ min: -40, max: 0 }), fc.integer({ min: 0, max: 24 })),
      effective: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
      copies: fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 2 }),
    })
    .map(({ enabled, arrival, skew, effective, copies }) => {
      const decision: GeneratedDecision = {
        id,
        enabled,
        time: Math.max(0, arrival + skew),
        arrival,
        effective,
      };
      return [arrival, ...copies.map((delay) => arrival + delay)].map((tick) => ({
        decision,
        tick,
      }));
    });

const historyArbitrary = fc
  .integer({ min: 1, max: 7 })
  .chain((count) =>
    fc.tuple(...Array.from({ length: count }, (_, index) => decisionArbitrary(`d${index}`))),
  )
  // Copies delivered at one instant come in any order.
  .chain((perDecision) =>
    fc.shuffledSubarray(perDecision.flat(), { minLength: perDecision.flat().length }),
  );

describe("the timeline rule over generated histories", () => {
  it("the state applied at each instant is the rule's, whatever the order, copies included", () => {
    fc.assert(
      fc.property(historyArbitrary, (deliveries) => {
        const { states } = simulate(deliveries, UNTIL);
        const decisions = [...new Map(deliveries.map((d) => [d.decision.id, d.decision])).values()];
        for (let tick = 0; tick <= UNTIL; tick += 1) {
          expect(states[tick], `at tick ${tick}`).toBe(referenceStateAt(decisions, tick));
        }
      }),
      { numRuns: 300 },
    );
  });
});
