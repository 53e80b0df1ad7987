import { describe, expect, it } from "vitest";
import { HeldByGuardError } from "../../../../shared/runtime/errors/held-by-guard-error.ts";
import type { LifecycleEvent } from "../../../../shared/runtime/events/lifecycle-event.ts";
import type { GuardSettings } from "../../../../shared/runtime/guard/guard-settings.ts";
import type {
  GuardState,
  GuardStore,
  Reservation,
} from "../../../../shared/runtime/guard/guard-store.ts";
import { OffboardingGuard } from "../../../../shared/runtime/guard/offboarding-guard.ts";
import { createLogger } from "../../../../shared/runtime/logging/logger.ts";
import { createEmfMetrics } from "../../../../shared/runtime/metrics/metrics.ts";

/** The store's decisions, scripted: the conditional writes themselves are tested on dynalite. */
function scriptedStore(script: {
  tripped?: boolean;
  reserve?: boolean;
  tripWins?: boolean;
  counted?: string[];
}) {
  const calls: string[] = [];
  const store = {
    readState: async (_signal?: AbortSignal, direction?: string): Promise<GuardState> => {
      calls.push(direction === "onboards" ? "readState:onboards" : "readState");
      return { tripped: script.tripped ?? false };
    },
    reserve: async (request: { direction?: string }): Promise<Reservation> => {
      calls.push(request.direction === "onboards" ? "reserve:onboards" : "reserve");
      return script.reserve === false ? { reserved: false } : { reserved: true, count: 1 };
    },
    trip: async (facts: { direction?: string }) => {
      calls.push(facts.direction === "onboards" ? "trip:onboards" : "trip");
      return script.tripWins ?? true;
    },
    readBucket: async () => {
      calls.push("readBucket");
      const slots = new Set(script.counted ?? []);
      return { bucketStart: 0, count: slots.size, slots };
    },
  };
  return { store: store as unknown as GuardStore, calls };
}

function guardOn(store: GuardStore, settings: Partial<GuardSettings> = {}) {
  const metricLines: string[] = [];
  const logLines: string[] = [];
  const metrics = createEmfMetrics({ service: "consumer", sink: (l) => metricLines.push(l) });
  const guard = new OffboardingGuard({
    store,
    settings: { threshold: 3, windowSeconds: 60, ...settings },
    logger: createLogger({ format: "json", sink: (l) => logLines.push(l) }),
    metrics,
    now: () => Date.parse("2026-11-23T10:00:30Z"),
  });
  return { guard, metricLines, logLines, metrics };
}

const event = (type: LifecycleEvent["type"]): LifecycleEvent => ({
  specversion: "1.0",
  id: "e-1",
  source: "urn:test",
  type,
  time: "2026-11-23T10:00:00Z",
  subject: "emp-1",
  data: { accountPlatform: { login: "a@example.com" } },
});
const context = { subject: "emp-1", attempt: 1, signal: new AbortController().signal };

describe("OffboardingGuard", () => {
  it("never looks at the ledger for an onboard when the onboard threshold is 0", async () => {
    const { store, calls } = scriptedStore({ tripped: true, reserve: false });
    await guardOn(store, { onboardThreshold: 0 }).guard.beforeFirstWrite(
      event("user.onboarded"),
      context,
    );
    expect(calls).toEqual([]);
  });

  it("counts an onboard in the onboards' own window and trip", async () => {
    const { store, calls } = scriptedStore({ reserve: false });
    await expect(
      guardOn(store, { onboardThreshold: 2 }).guard.beforeFirstWrite(
        event("user.onboarded"),
        context,
      ),
    ).rejects.toThrow(/mass-re-enable guard tripped .*\(2 onboards within 60s\)/);
    expect(calls).toEqual(["readState:onboards", "reserve:onboards", "trip:onboards"]);
  });

  it("lets an offboard through once it reserved a slot", async () => {
    const { store, calls } = scriptedStore({});
    await guardOn(store).guard.beforeFirstWrite(event("user.offboarded"), context);
    expect(calls).toEqual(["readState", "reserve"]);
  });

  it("holds an offboard while tripped, without counting it", async () => {
    const { store, calls } = scriptedStore({ tripped: true });
    await expect(
      guardOn(store).guard.beforeFirstWrite(event("user.offboarded"), context),
    ).rejects.toBeInstanceOf(HeldByGuardError);
    expect(calls).toEqual(["readState"]);
  });

  it("trips on a full window and reports it once: metric and log line", async () => {
    const { store } = scriptedStore({ reserve: false, tripWins: true });
    const { guard, metricLines, logLines, metrics } = guardOn(store);
    await expect(guard.beforeFirstWrite(event("user.offboarded"), context)).rejects.toThrow(
      /guard tripped/,
    );
    metrics.flush();
    expect(metricLines.map((l) => JSON.parse(l).GuardTripped)).toEqual([1]);
    expect(logLines).toHaveLength(1);
  });

  it("holds without reporting when another invocation tripped it first", async () => {
    const { store } = scriptedStore({ reserve: false, tripWins: false });
    const { guard, metricLines, logLines, metrics } = guardOn(store);
    await expect(guard.beforeFirstWrite(event("user.offboarded"), context)).rejects.toBeInstanceOf(
      HeldByGuardError,
    );
    metrics.flush();
    expect(metricLines).toEqual([]);
    expect(logLines).toEqual([]);
  });

  it("previews without taking a slot or tripping: held when tripped or when the window is full", async () => {
    const offboarding = event("user.offboarded");
    const open = scriptedStore({ counted: ["a", "b"] });
    await guardOn(open.store).guard.preview(offboarding, context.signal);
    expect(open.calls).toEqual(["readState", "readBucket"]);

    const full = scriptedStore({ counted: ["a", "b", "c"] });
    const { guard, metricLines } = guardOn(full.store);
    await expect(guard.preview(offboarding, context.signal)).rejects.toThrow(
      /would trip the mass-offboarding guard: 3 offboards of 3/,
    );
    expect(full.calls).toEqual(["readState", "readBucket"]);
    expect(metricLines).toEqual([]);

    const tripped = scriptedStore({ tripped: true });
    await expect(
      guardOn(tripped.store).guard.preview(offboarding, context.signal),
    ).rejects.toBeInstanceOf(HeldByGuardError);
    await guardOn(tripped.store, { onboardThreshold: 0 }).guard.preview(
      event("user.onboarded"),
      context.signal,
    );
  });
});
