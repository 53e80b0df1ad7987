import { describe, expect, it } from "vitest";
import { loadConsumerConfig } from "../../../../shared/runtime/consumer/consumer-config.ts";
import { classifyFailure } from "../../../../shared/runtime/consumer/failure-classification.ts";
import { ConfigurationError } from "../../../../shared/runtime/errors/configuration-error.ts";
import { HeldByGuardError } from "../../../../shared/runtime/errors/held-by-guard-error.ts";
import { guardBucketKey, guardSlotOf } from "../../../../shared/runtime/guard/guard-keys.ts";
import { bucketStartOf, guardEnabled } from "../../../../shared/runtime/guard/guard-settings.ts";

const complete = {
  QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/lifecycle-events.fifo",
  DLQ_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/lifecycle-events-dlq.fifo",
  LEDGER_TABLE: "lifecycle-ledger",
  ACCOUNT_PLATFORM_URL: "https://dc.example.com",
  ACCOUNT_PLATFORM_TENANT_ID: "tenant-1",
  OSIS_URL: "https://osis.example.com",
  OSIS_CD_TENANT_ID: "cd-1",
};

describe("guard settings", () => {
  it("defaults to 50 offboards an hour", () => {
    expect(loadConsumerConfig(complete).guard).toEqual({
      threshold: 50,
      windowSeconds: 3600,
      onboardThreshold: 50,
    });
  });

  it("reads CONSUMER_GUARD_THRESHOLD and CONSUMER_GUARD_WINDOW_SECONDS; 0 disables", () => {
    const config = loadConsumerConfig({
      ...complete,
      CONSUMER_GUARD_THRESHOLD: "0",
      CONSUMER_GUARD_WINDOW_SECONDS: "600",
    });
    expect(config.guard).toEqual({ threshold: 0, windowSeconds: 600, onboardThreshold: 50 });
    expect(guardEnabled(config.guard, "offboards")).toBe(false);
    expect(guardEnabled(config.guard, "onboards")).toBe(true);
    const off = loadConsumerConfig({
      ...complete,
      CONSUMER_GUARD_THRESHOLD: "0",
      CONSUMER_GUARD_ONBOARD_THRESHOLD: "0",
    });
    expect(guardEnabled(off.guard)).toBe(false);
    expect(guardEnabled({ threshold: 5, windowSeconds: 0 })).toBe(false);
    expect(guardEnabled({ threshold: 5, windowSeconds: 60 })).toBe(true);
  });

  it("refuses a threshold too large for one window's item", () => {
    expect(() => loadConsumerConfig({ ...complete, CONSUMER_GUARD_THRESHOLD: "5000" })).toThrow(
      ConfigurationError,
    );
    expect(() => loadConsumerConfig({ ...complete, CONSUMER_GUARD_WINDOW_SECONDS: "-1" })).toThrow(
      ConfigurationError,
    );
  });

  it("puts a time in the fixed window that holds it", () => {
    const start = Date.parse("2026-11-23T10:00:00Z");
    expect(bucketStartOf(start, 3600)).toBe(start);
    expect(bucketStartOf(start + 3_599_999, 3600)).toBe(start);
    expect(bucketStartOf(start + 3_600_000, 3600)).toBe(start + 3_600_000);
    expect(guardBucketKey(start)).toBe("GUARD#offboards#2026-11-23T10:00:00.000Z");
  });

  it("gives one slot per event (source + id), never the same for two events", () => {
    const slot = guardSlotOf({ source: "urn:hr", id: "1" });
    expect(slot).toMatch(/^[0-9a-f]{32}$/);
    expect(guardSlotOf({ source: "urn:hr", id: "1" })).toBe(slot);
    expect(guardSlotOf({ source: "urn:hr", id: "2" })).not.toBe(slot);
    expect(guardSlotOf({ source: "urn:hr2", id: "1" })).not.toBe(slot);
  });

  it("sends a held offboard to the DLQ at once with reason held_by_guard", () => {
    expect(classifyFailure(new HeldByGuardError("tripped"))).toMatchObject({
      kind: "permanent",
      reason: "held_by_guard",
    });
  });
});
