import { describe, expect, it } from "vitest";
import {
  type BambooHrFieldMapping,
  DEFAULT_BAMBOOHR_MAPPING,
} from "../../../../shared/runtime/configuration/bamboohr-field-mapping.ts";
import type { LifecycleEvent } from "../../../../shared/runtime/events/lifecycle-event.ts";
import { createLogger } from "../../../../shared/runtime/logging/logger.ts";
import { readBambooHrDelivery } from "../../../../shared/runtime/webhook/bamboohr-delivery.ts";
import { bambooHrField } from "../../../../shared/runtime/webhook/bamboohr-fields.ts";

const SIGNED_AT_MS = 1_795_400_000_000;
const quiet = createLogger({ sink: () => {} });
/** Field-based deliveries carry their values: nothing is read back. */
const noApi = {
  readEmployee: () => Promise.reject(new Error("a field-based delivery read the API")),
};
const mapBambooHrBody = (body: unknown, mapping: BambooHrFieldMapping) =>
  readBambooHrDelivery(
    body,
    SIGNED_AT_MS,
    {
      mapping,
      deletedMeans: "offboard",
      employees: noApi,
      people: undefined,
      readBack: async () => false,
    },
    quiet,
  );
const map = (employees: unknown[], mapping: Partial<BambooHrFieldMapping> = {}) =>
  mapBambooHrBody({ employees }, { ...DEFAULT_BAMBOOHR_MAPPING, ...mapping });

describe("bambooHrField", () => {
  it("finds the other name of a standard field, takes both as `name|alias`, else one name both ways", async () => {
    expect(bambooHrField("Employee #")).toEqual({
      displayName: "Employee #",
      alias: "employeeNumber",
    });
    expect(bambooHrField("workEmail")).toEqual({ displayName: "Work Email", alias: "workEmail" });
    expect(bambooHrField("Login | customLogin")).toEqual({
      displayName: "Login",
      alias: "customLogin",
    });
    expect(bambooHrField("customLogin")).toEqual({
      displayName: "customLogin",
      alias: "customLogin",
    });
  });
});

describe("field-based deliveries", () => {
  it("makes Inactive an offboarding and Active an onboarding, with the documented defaults", async () => {
    const result = await map([
      { id: "42", changedFields: ["Status"], fields: { Status: "Inactive", "Employee #": "E42" } },
      { id: 43, changedFields: ["Status"], fields: { Status: "ACTIVE", "Employee #": 1043 } },
    ]);
    const window = Math.floor(SIGNED_AT_MS / (3 * 3600 * 1000));
    expect(result).toEqual({
      ok: true,
      ignored: 0,
      problems: [],
      unordered: [expect.any(String), expect.any(String)],
      events: [
        {
          specversion: "1.0",
          id: expect.stringMatching(new RegExp(`^42-w${window}-[0-9a-f]{32}$`)),
          source: "bamboohr",
          type: "user.offboarded",
          time: "2026-11-23T02:13:20.000Z",
          subject: "42",
          data: {
            accountPlatform: { externalId: "E42" },
            reason: "BambooHR Status changed to Inactive",
          },
        },
        expect.objectContaining({
          id: expect.stringMatching(new RegExp(`^43-w${window}-[0-9a-f]{32}$`)),
          type: "user.onboarded",
          subject: "43",
          data: {
            accountPlatform: { externalId: "1043" },
            reason: "BambooHR Status changed to ACTIVE",
          },
        }),
      ],
    });
  });

  it("ignores and counts employees whose status did not change, whatever their status", async () => {
    const result = await map([
      { id: "1", changedFields: ["Job Title"], fields: { Status: "Inactive", "Employee #": "E1" } },
      { id: "2", changedFields: [], fields: {} },
      // Names are matched exactly (the display name or the API alias, not another case).
      { id: "3", changedFields: ["STATUS"], fields: { STATUS: "Inactive", "Employee #": "E3" } },
    ]);
    expect(result).toEqual({ ok: true, events: [], ignored: 3, problems: [], unordered: [] });
  });

  it("reads a body whose keys are API aliases (a webhook set up with aliases)", async () => {
    const result = await map([
      { id: "4", changedFields: ["status"], fields: { status: "Inactive", employeeNumber: "E4" } },
    ]);
    expect(
      result.ok && (result.events[0] as LifecycleEvent | undefined)?.data.accountPlatform,
    ).toEqual({ externalId: "E4" });
  });

  it("reads values given as {value: …} and treats blank values as missing", async () => {
    const result = await map(
      [
        {
          id: "7",
          changedFields: ["Status"],
          fields: { Status: { value: "Inactive" }, Login: { value: " jdoe " }, "Employee #": "  " },
        },
      ],
      { loginField: "Login" },
    );
    expect(
      result.ok && (result.events[0] as LifecycleEvent | undefined)?.data.accountPlatform,
    ).toEqual({ login: "jdoe" });
    const blank = await map([
      { id: "8", changedFields: ["Status"], fields: { Status: "Inactive", "Employee #": " " } },
    ]);
    // No retry could fix it, and a 4xx would drop the whole delivery: ignored, counted, said.
    expect(blank).toEqual({
      ok: true,
      events: [],
      unordered: [],
      ignored: 1,
      problems: [
        {
          path: "$.employees[0].fields",
          message: 'has no value in any target field ("Employee #")',
        },
      ],
    });
  });

  it("prefers the login to the external id, falls back to the external id, and adds OSIS when configured", async () => {
    const mapping = { loginField: "Username", osisCdUserField: "Username" };
    const result = await map(
      [
        {
          id: "1",
          changedFields: ["Status"],
          fields: { Status: "Inactive", Username: "ann", "Employee #": "E1" },
        },
        { id: "2", changedFields: ["Status"], fields: { Status: "Inactive", "Employee #": "E2" } },
      ],
      mapping,
    );
    expect(result.ok && result.events.map((event) => event.data)).toEqual([
      {
        accountPlatform: { login: "ann" },
        osis: { cdUserId: "ann" },
        reason: "BambooHR Status changed to Inactive",
      },
      { accountPlatform: { externalId: "E2" }, reason: "BambooHR Status changed to Inactive" },
    ]);
  });

  it("takes the subject from the configured field, and never falls back to the employee id", async () => {
    const mapping = { subjectField: "Employee #" };
    const ok = await map(
      [{ id: "1", changedFields: ["Status"], fields: { Status: "Active", "Employee #": "emp-1" } }],
      mapping,
    );
    expect(ok.ok && ok.events[0]?.subject).toBe("emp-1");
    const missing = await map(
      [{ id: "1", changedFields: ["Status"], fields: { Status: "Active" } }],
      {
        ...mapping,
        loginField: "Login",
      },
    );
    expect(missing.ok && missing.ignored).toBe(1);
    expect(missing.ok && missing.problems[0]?.path).toBe('$.employees[0].fields["Employee #"]');
  });

  it("validates each mapped event with the shared schema and reports it at the employee", async () => {
    const result = await map([
      {
        id: "x".repeat(130),
        changedFields: ["Status"],
        fields: { Status: "Active", "Employee #": "E" },
      },
    ]);
    expect(result.ok && result.ignored).toBe(1);
    expect(result.ok && result.problems.map((problem) => problem.path)).toEqual([
      "$.employees[0]",
      "$.employees[0]",
    ]);
    expect(result.ok && result.problems.map((problem) => problem.message)).toEqual([
      expect.stringMatching(/^maps to an invalid event: \$\.id must be at most 128 characters/),
      expect.stringMatching(/^maps to an invalid event: \$\.subject /),
    ]);
  });

  it("dates an employee by its own timestamp when it has one: a redelivery is the same event", async () => {
    const result = await map([
      {
        id: "9",
        timestamp: "2026-11-20T10:00:00+0000",
        changedFields: ["Status"],
        fields: { Status: "Inactive", "Employee #": "E9" },
      },
    ]);
    expect(result.ok && result.events[0]).toMatchObject({
      id: "9-1795168800",
      time: "2026-11-20T10:00:00.000Z",
    });
  });

  it("refuses a body that is neither format, or a malformed one, with JSON paths (400)", async () => {
    expect(await mapBambooHrBody([], DEFAULT_BAMBOOHR_MAPPING)).toEqual({
      ok: false,
      status: 400,
      problems: [{ path: "$", message: expect.stringMatching(/^must be a BambooHR delivery/) }],
    });
    expect(await mapBambooHrBody({ employees: {} }, DEFAULT_BAMBOOHR_MAPPING)).toEqual({
      ok: false,
      status: 400,
      problems: [{ path: "$.employees", message: "must be an array of employees" }],
    });
    expect(
      await mapBambooHrBody(
        { type: "employee.updated", timestamp: "yesterday", data: { employeeId: "../1" } },
        DEFAULT_BAMBOOHR_MAPPING,
      ),
    ).toEqual({
      ok: false,
      status: 400,
      problems: [
        { path: "$.timestamp", message: expect.stringMatching(/^must be an ISO 8601 instant/) },
        { path: "$.data.employeeId", message: "must be BambooHR's numeric employee id" },
      ],
    });
  });

  it("takes up to 1,000 employees and answers 413 above, before reading any", async () => {
    const employee = (id: number) => ({
      id,
      changedFields: ["Status"],
      fields: { Status: "Inactive", "Employee #": `E${id}` },
    });
    const thousand = await map(Array.from({ length: 1_000 }, (_, id) => employee(id)));
    expect(thousand.ok && thousand.events).toHaveLength(1_000);
    const more = await map(Array.from({ length: 1_001 }, (_, id) => employee(id)));
    expect(more).toEqual({
      ok: false,
      status: 413,
      problems: [{ path: "$.employees", message: expect.stringMatching(/^holds 1001 employees/) }],
    });
  });
});

describe("ordering: read back with the API, unordered without", () => {
  const RECEIVED_AT_MS = SIGNED_AT_MS + 7_000;
  const inactive = (id: string) => ({
    id,
    changedFields: ["Status"],
    fields: { Status: "Inactive", "Employee #": `E${id}` },
  });
  const deliver = (body: unknown, options: { readBack: boolean; signedAtMs?: number }) =>
    readBambooHrDelivery(
      body,
      options.signedAtMs ?? SIGNED_AT_MS,
      {
        mapping: DEFAULT_BAMBOOHR_MAPPING,
        deletedMeans: "offboard",
        employees: noApi,
        people: undefined,
        readBack: async () => options.readBack,
      },
      quiet,
      { now: RECEIVED_AT_MS, maxFutureSeconds: 300 },
    );

  it("with the API, enqueues a signal per status change of either format, dated when received", async () => {
    const fieldBased = await deliver({ employees: [inactive("42")] }, { readBack: true });
    expect(fieldBased).toMatchObject({ ok: true, unordered: [] });
    expect(fieldBased.ok && fieldBased.events).toEqual([
      {
        specversion: "1.0",
        id: "42-1795400000",
        source: "bamboohr",
        type: "com.bamboohr.employee.changed",
        time: new Date(RECEIVED_AT_MS).toISOString(),
        subject: "42",
        data: { employeeId: "42" },
      },
    ]);
    const eventBased = await deliver(
      {
        type: "employee.updated",
        timestamp: "2026-11-23T02:00:00+0000",
        data: { employeeId: "77", changedFields: ["status"] },
      },
      { readBack: true },
    );
    expect(eventBased.ok && eventBased.events).toEqual([
      expect.objectContaining({
        id: "77-employee.updated-1795399200",
        type: "com.bamboohr.employee.changed",
        subject: "77",
        data: { employeeId: "77" },
      }),
    ]);
  });

  it("without the API, answers an event-based delivery 503 (throws) and marks field values unordered", async () => {
    await expect(
      deliver(
        {
          type: "employee.updated",
          timestamp: "2026-11-23T02:00:00+0000",
          data: { employeeId: "77", changedFields: ["status"] },
        },
        { readBack: false },
      ),
    ).rejects.toThrow(/BAMBOOHR_API_SECRET_ID/);
    const once = await deliver({ employees: [inactive("42")] }, { readBack: false });
    const id = once.ok ? once.events[0]?.id : undefined;
    expect(once.ok && once.unordered).toEqual([id]);
    // BambooHR's retry, signed anew 80 minutes later (same three-hour window): the same event.
    const hour = 3600 * 1000;
    const windowStart = Math.floor(SIGNED_AT_MS / (3 * hour)) * 3 * hour;
    const retry = await deliver(
      { employees: [inactive("42")] },
      { readBack: false, signedAtMs: windowStart + 2 * hour },
    );
    const first = await deliver(
      { employees: [inactive("42")] },
      { readBack: false, signedAtMs: windowStart },
    );
    expect(retry.ok && retry.events[0]?.id).toBe(first.ok && first.events[0]?.id);
    // The same change again in a later window (terminated, rescinded, terminated): a new event.
    const later = await deliver(
      { employees: [inactive("42")] },
      { readBack: false, signedAtMs: windowStart + 3 * hour },
    );
    expect(later.ok && later.events[0]?.id).not.toBe(first.ok && first.events[0]?.id);
    // Other mapped values: another event.
    const other = await deliver(
      { employees: [{ ...inactive("42"), fields: { Status: "Inactive", "Employee #": "X" } }] },
      { readBack: false, signedAtMs: windowStart },
    );
    expect(other.ok && other.events[0]?.id).not.toBe(first.ok && first.events[0]?.id);
  });
});
