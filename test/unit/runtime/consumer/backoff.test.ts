import { describe, expect, it } from "vitest";
import { backoffSeconds } from "../../../../shared/runtime/consumer/backoff.ts";

const settings = { baseSeconds: 5, capSeconds: 60 };

describe("backoffSeconds", () => {
  it("doubles with each attempt, jittered between half and all of it", () => {
    expect(backoffSeconds(1, settings, { random: () => 0 })).toBe(3); // 2.5 rounded
    expect(backoffSeconds(1, settings, { random: () => 1 })).toBe(5);
    expect(backoffSeconds(3, settings, { random: () => 0 })).toBe(10);
    expect(backoffSeconds(3, settings, { random: () => 1 })).toBe(20);
  });

  it("is capped", () => {
    expect(backoffSeconds(20, settings, { random: () => 1 })).toBe(60);
    expect(backoffSeconds(20, settings, { random: () => 0 })).toBe(30);
  });

  it("never waits less than a Retry-After asked, even past the cap", () => {
    expect(backoffSeconds(1, settings, { random: () => 0, retryAfterMs: 7_500 })).toBe(8);
    expect(backoffSeconds(1, settings, { random: () => 0, retryAfterMs: 120_000 })).toBe(120);
    expect(backoffSeconds(1, settings, { random: () => 0, retryAfterMs: 10 ** 9 })).toBe(43_200);
  });
});
