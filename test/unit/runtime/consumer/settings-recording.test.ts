import { describe, expect, it } from "vitest";
import { SettingsRecording } from "../../../../shared/runtime/consumer/settings-recording.ts";
import { captureLogs } from "../../../support/captured-logs.ts";

describe("SettingsRecording", () => {
  it("writes once however many batches begin it", async () => {
    let writes = 0;
    const logs = captureLogs();
    const recording = new SettingsRecording({
      write: async () => {
        writes += 1;
      },
      logger: logs.logger,
    });
    for (let batch = 0; batch < 3; batch += 1) recording.begin();
    await recording.settled();
    expect(writes).toBe(1);
    expect(logs.records()).toEqual([]);
  });

  it("logs a failed write once, and neither throws nor rejects into the batch", async () => {
    const logs = captureLogs();
    const recording = new SettingsRecording({
      write: () => Promise.reject(new Error("ledger unreachable")),
      logger: logs.logger,
    });
    expect(() => recording.begin()).not.toThrow();
    recording.begin();
    await recording.settled();
    recording.begin();
    await recording.settled();
    const warnings = logs.records().filter((r) => r.level === "WARN");
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]?.message)).toMatch(/Could not record the consumer's settings/);
  });

  it("does not write before the first batch begins it", async () => {
    let writes = 0;
    new SettingsRecording({
      write: async () => {
        writes += 1;
      },
      logger: captureLogs().logger,
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(writes).toBe(0);
  });
});
