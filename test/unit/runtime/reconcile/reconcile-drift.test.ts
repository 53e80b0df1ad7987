import { describe, expect, it } from "vitest";
import type { LifecycleEventType } from "../../../../shared/contract/event-types.ts";
import {
  NotFoundError,
  UnavailableError,
} from "../../../../shared/runtime/errors/platform-errors.ts";
import type {
  LedgerReader,
  PendingChange,
  PersonRecord,
} from "../../../../shared/runtime/ledger/person-record.ts";
import type {
  AccountPlatform,
  AccountPlatformUser,
} from "../../../../shared/runtime/platforms/account-platform/account-platform.ts";
import type { OsisPlatform } from "../../../../shared/runtime/platforms/osis/osis.ts";
import { reconcileDrift } from "../../../../shared/runtime/reconcile/reconcile-drift.ts";

const T0 = Date.parse("2026-11-23T09:00:00Z");

function person(subject: string, overrides: Partial<PersonRecord> = {}): PersonRecord {
  return {
    subject,
    newestApplied: {
      source: "urn:hr",
      id: `off-${subject}`,
      type: "user.offboarded",
      time: T0,
      appliedAt: T0,
    },
    desiredEnabled: false,
    resolved: {
      accountPlatform: { userId: `ap-${subject}` },
      osis: { tenantId: "t", userId: `os-${subject}` },
    },
    history: [],
    updatedAt: T0,
    ...overrides,
  };
}

/** A change the ledger holds for later, decided just after T0. */
function pendingChange(id: string, type: LifecycleEventType, effectiveAt: number): PendingChange {
  return { source: "urn:hr", id, type, time: T0 + 1, effectiveAt, scheduledAt: T0 + 1 };
}

function ledgerOf(people: PersonRecord[]): LedgerReader {
  return {
    getPerson: async (subject) => people.find((p) => p.subject === subject),
    listPeople: async function* () {
      yield* people;
    },
  };
}

/** Platforms that answer from a table, counting how many reads are in flight at once. */
function platforms(enabled: Record<string, boolean | Error>) {
  let inFlight = 0;
  let peak = 0;
  const answer = async (id: string): Promise<boolean> => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    inFlight -= 1;
    const value = enabled[id] ?? false;
    if (value instanceof Error) throw value;
    return value;
  };
  const accountPlatform = {
    getUser: async (id: string) => ({ id, enabled: await answer(id) }) as AccountPlatformUser,
  } as unknown as AccountPlatform;
  const osis = {
    getUser: async (_tenant: string, id: string) => ({ user_id: id, active: await answer(id) }),
  } as unknown as OsisPlatform;
  return { accountPlatform, osis, peak: () => peak };
}

describe("reconcileDrift", () => {
  it("reports drift per target, and platform failures separately, never as drift", async () => {
    const fake = platforms({
      "ap-a": true,
      "os-b": new UnavailableError("503", { platform: "osis", operation: "getUser", status: 503 }),
      "ap-c": new NotFoundError("gone", { platform: "account-platform", operation: "getUser" }),
    });
    const report = await reconcileDrift({
      ledger: ledgerOf([person("a"), person("b"), person("c")]),
      ...fake,
      concurrency: 2,
    });
    expect(report.drift).toEqual([
      {
        subject: "a",
        target: "account-platform",
        userId: "ap-a",
        wanted: "disabled",
        actual: "enabled",
      },
    ]);
    expect(report.errors.map((e) => [e.subject, e.target, e.kind])).toEqual([
      ["b", "osis", "unavailable"],
      ["c", "account-platform", "not_found"],
    ]);
    expect(report.drifted.map((p) => p.subject)).toEqual(["a"]);
    expect(report.checked).toBe(3);
  });

  it("skips people it cannot judge: nothing applied, an event in progress, no resolved id", async () => {
    const report = await reconcileDrift({
      ledger: ledgerOf([
        person("new", { newestApplied: undefined, desiredEnabled: undefined }),
        person("busy", {
          inProgress: {
            source: "urn:hr",
            id: "on-busy",
            type: "user.onboarded",
            time: T0 + 1,
            attempts: 1,
            done: [],
          },
        }),
        person("bare", { resolved: {} }),
      ]),
      ...platforms({}),
      concurrency: 1,
    });
    expect(report.checked).toBe(0);
    expect(report.skipped).toEqual([
      { subject: "bare", reason: "not_resolved" },
      { subject: "busy", reason: "event_in_progress" },
      { subject: "new", reason: "nothing_applied" },
    ]);
  });

  it("does not report a platform already as a pending scheduled change will make it", async () => {
    const lastDay = pendingChange("off-later", "user.offboarded", T0 + 86_400_000);
    // Enabled in the ledger; disabled by hand before the scheduled last day.
    const leaver = person("a", { desiredEnabled: true, pendingChanges: [lastDay] });
    const reverted = person("b", { desiredEnabled: true });
    const report = await reconcileDrift({
      ledger: ledgerOf([leaver, reverted]),
      ...platforms({}),
      concurrency: 1,
      now: () => T0 + 2,
    });
    expect(report.drift.map((row) => row.subject)).toEqual(["b", "b"]);
    expect(report.checked).toBe(2);
  });

  it("skips a person whose pending change governs now but is not applied yet", async () => {
    const due = pendingChange("on-due", "user.onboarded", T0 + 60_000);
    const report = await reconcileDrift({
      ledger: ledgerOf([person("a", { pendingChanges: [due] })]),
      ...platforms({}),
      concurrency: 1,
      now: () => T0 + 120_000,
    });
    expect(report.skipped).toEqual([{ subject: "a", reason: "change_due" }]);
    expect(report.checked).toBe(0);
  });

  it("reads at most `concurrency` people at once, and spaces reads by the rate", async () => {
    const fake = platforms({});
    const sleeps: number[] = [];
    const people = Array.from({ length: 12 }, (_, i) => person(`p${i}`));
    const report = await reconcileDrift({
      ledger: ledgerOf(people),
      ...fake,
      concurrency: 3,
      ratePerSecond: 4,
      now: () => T0,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    expect(report.checked).toBe(12);
    expect(fake.peak()).toBeGreaterThan(1);
    expect(fake.peak()).toBeLessThanOrEqual(3);
    // 24 reads at 4 a second on a frozen clock: each after the first waits 250 ms more.
    expect(sleeps).toHaveLength(23);
    expect(sleeps.at(-1)).toBe(23 * 250);
  });
});
