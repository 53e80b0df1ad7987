import { describe, expect, it } from "vitest";
import { FixedPace } from "../../../../shared/runtime/pace/fixed-pace.ts";

describe("FixedPace", () => {
  it("spaces actions 1/N s apart, the first at once", async () => {
    let now = 0;
    const slept: number[] = [];
    const pace = new FixedPace({
      perSecond: 4,
      now: () => now,
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
      },
    });
    await pace.wait();
    await pace.wait();
    now += 100;
    await pace.wait();
    expect(slept).toEqual([250, 150]);
  });
});
