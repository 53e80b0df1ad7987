import { describe, expect, it } from "vitest";
import { createOutcomeBus } from "../../../../shared/runtime/outcomes/outcome-bus.ts";

const settings = { busName: "lifecycle-outcomes", source: "hr-lifecycle-sync" };

/** Client options that count how often a client is made from them (each reads `region` once). */
function countingOptions() {
  const counted = { made: 0 };
  const options = {
    get region() {
      counted.made += 1;
      return "us-east-1";
    },
  };
  return { counted, options };
}

describe("createOutcomeBus", () => {
  it("makes no EventBridge client at cold start, one at the first publish, and keeps it", () => {
    const { counted, options } = countingOptions();
    const bus = createOutcomeBus(settings, options);
    expect(counted.made).toBe(0);
    expect(bus).toMatchObject(settings);

    const client = bus.client;
    expect(counted.made).toBe(1);
    expect(bus.client).toBe(client);
    expect(counted.made).toBe(1);
    client.destroy();
  });
});
