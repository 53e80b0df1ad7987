import { afterEach, describe, expect, it, vi } from "vitest";
import { METRICS_NAMESPACE } from "../../../../shared/contract/metrics.ts";
import { createEmfMetrics } from "../../../../shared/runtime/metrics/metrics.ts";

interface EmfLine {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] };
  [key: string]: unknown;
}

function capture() {
  const lines: string[] = [];
  const metrics = createEmfMetrics({ service: "consumer", sink: (line) => lines.push(line) });
  return { metrics, emf: () => lines.map((line) => JSON.parse(line) as EmfLine) };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("metrics", () => {
  it("publishes each set of dimension values as an EMF line of its own, under the product's namespace", () => {
    const { metrics, emf } = capture();
    metrics.count("EventOutcome", { outcome: "applied" });
    metrics.count("EventOutcome", { outcome: "stale" });
    metrics.count("EventOutcome", { outcome: "applied" });
    metrics.duration("PlatformLatency", 12, { platform: "osis", operation: "getUser" });
    metrics.count("GuardTripped");
    metrics.flush();

    const lines = emf();
    const line = (match: Record<string, unknown>) =>
      lines.filter((l) => Object.entries(match).every(([key, value]) => l[key] === value));
    expect(lines).toHaveLength(4);
    expect(line({ outcome: "applied" })).toEqual([
      expect.objectContaining({ service: "consumer", EventOutcome: [1, 1] }),
    ]);
    expect(line({ outcome: "stale" })).toEqual([expect.objectContaining({ EventOutcome: 1 })]);
    const latency = line({ platform: "osis" })[0];
    expect(latency?.PlatformLatency).toBe(12);
    expect(latency?._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Dimensions: [["service", "platform", "operation"]],
    });
    expect(line({ GuardTripped: 1 })[0]?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([
      ["service"],
    ]);

    metrics.flush();
    expect(emf()).toHaveLength(4); // published once, then empty
  });

  it("validates what CloudWatch would refuse: a metric name over 255 characters", () => {
    const { metrics } = capture();
    expect(() => metrics.count("x".repeat(256))).toThrow(RangeError);
  });

  it("takes its service and namespace from the POWERTOOLS_ variables when set", () => {
    vi.stubEnv("POWERTOOLS_SERVICE_NAME", "consumer-blue");
    vi.stubEnv("POWERTOOLS_METRICS_NAMESPACE", "Elsewhere");
    const { metrics, emf } = capture();
    metrics.count("EventOutcome", { outcome: "applied" });
    metrics.flush();
    expect(emf()[0]).toMatchObject({ service: "consumer-blue" });
    expect(emf()[0]?._aws.CloudWatchMetrics[0]?.Namespace).toBe("Elsewhere");
  });

  it("writes nothing when POWERTOOLS_METRICS_DISABLED is set", () => {
    vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "true");
    const { metrics, emf } = capture();
    metrics.count("EventOutcome", { outcome: "applied" });
    metrics.count("GuardTripped");
    metrics.flush();
    expect(emf()).toEqual([]);
  });
});
