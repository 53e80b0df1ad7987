import { describe, expect, it, vi } from "vitest";
import { DEFAULT_BAMBOOHR_MAPPING } from "../../../../shared/runtime/configuration/bamboohr-field-mapping.ts";
import { isTimeZone } from "../../../../shared/runtime/configuration/time-zone.ts";
import { bambooHrField } from "../../../../shared/runtime/webhook/bamboohr-fields.ts";
import {
  type EmployeeChange,
  mapEmployeeChange,
} from "../../../../shared/runtime/webhook/bamboohr-mapping.ts";
import { endOfDayMs } from "../../../../shared/runtime/webhook/end-of-day.ts";

const NOW = Date.parse("2026-12-01T12:00:00Z");
const clock = { now: NOW, maxFutureSeconds: 300, maxScheduleDays: 400 };

function change(status: string, terminationDate?: string): EmployeeChange {
  const values: Record<string, string> = { Status: status, "Employee #": "E42" };
  if (terminationDate !== undefined) values["Termination Date"] = terminationDate;
  return {
    employee: {
      employeeId: "42",
      read: (field) => values[field.displayName],
    },
    change: "status",
    eventId: "42-1",
    time: "2026-12-01T11:59:00Z",
    path: ["employees", 0],
  };
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe("the end of a termination day", () => {
  it("is the next day's first instant in the zone, across daylight-saving changes", () => {
    expect(iso(endOfDayMs("2026-12-04", "UTC"))).toBe("2026-12-05T00:00:00.000Z");
    // Berlin moves to summer time in the night of 28 to 29 March 2026.
    expect(iso(endOfDayMs("2026-03-28", "Europe/Berlin"))).toBe("2026-03-28T23:00:00.000Z");
    expect(iso(endOfDayMs("2026-03-29", "Europe/Berlin"))).toBe("2026-03-29T22:00:00.000Z");
    // New York leaves summer time on 1 November 2026.
    expect(iso(endOfDayMs("2026-11-01", "America/New_York"))).toBe("2026-11-02T05:00:00.000Z");
    expect(iso(endOfDayMs("2026-12-04", "Asia/Kolkata"))).toBe("2026-12-04T18:30:00.000Z");
    // Auckland leaves summer time at 14:00 UTC on 4 April 2026: between that day's end in
    // Auckland (+13) and the same wall-clock time read as UTC (+12 by then).
    expect(iso(endOfDayMs("2026-04-04", "Pacific/Auckland"))).toBe("2026-04-04T11:00:00.000Z");
  });

  it("is unknown for a value that is not a calendar date", () => {
    expect(endOfDayMs("04/12/2026", "UTC")).toBeUndefined();
    expect(endOfDayMs("", "UTC")).toBeUndefined();
  });

  it("knows IANA zones and refuses others", () => {
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
  });

  it("knows UTC, the default, without Intl.DateTimeFormat, whose first use slows a cold start", () => {
    const formats = vi.spyOn(Intl, "DateTimeFormat");
    try {
      expect(isTimeZone("UTC")).toBe(true);
      expect(formats).not.toHaveBeenCalled();
      expect(isTimeZone("utc")).toBe(true);
      expect(formats).toHaveBeenCalled();
    } finally {
      formats.mockRestore();
    }
  });
});

describe("a BambooHR termination date", () => {
  const mapping = { ...DEFAULT_BAMBOOHR_MAPPING, timeZone: "Europe/Berlin" };

  it("schedules an offboard for the end of a last day still ahead", () => {
    const mapped = mapEmployeeChange(change("Inactive", "2026-12-04"), mapping, clock);
    expect(mapped.ok && mapped.event.data.effectiveAt).toBe("2026-12-04T23:00:00.000Z");
  });

  it("leaves an offboard whose last day is over to apply at once", () => {
    const mapped = mapEmployeeChange(change("Inactive", "2026-11-30"), mapping, clock);
    expect(mapped.ok && mapped.event.data.effectiveAt).toBeUndefined();
  });

  it("never delays an onboarding (a rehire keeps its old termination date)", () => {
    const mapped = mapEmployeeChange(change("Active", "2026-12-04"), mapping, clock);
    expect(mapped.ok && mapped.event.data.effectiveAt).toBeUndefined();
  });

  it("is the field the API is asked for", () => {
    expect(bambooHrField("Termination Date").alias).toBe("terminationDate");
  });
});
