import { describe, expect, it } from "vitest";
import {
  type BambooHrFieldMapping,
  DEFAULT_BAMBOOHR_MAPPING,
  mapBambooHrBody,
} from "../../../shared/webhook/bamboohr-mapping.ts";

const TIMESTAMP = "1795400000";
const map = (employees: unknown[], mapping: Partial<BambooHrFieldMapping> = {}) =>
  mapBambooHrBody({ employees }, TIMESTAMP, { ...DEFAULT_BAMBOOHR_MAPPING, ...mapping });

describe("mapBambooHrBody", () => {
  it("makes Inactive an offboarding and Active an onboarding, with the documented defaults", () => {
    const result = map([
      { id: "42", changedFields: ["Status"], fields: { Status: "Inactive", "Employee #": "E42" } },
      { id: 43, changedFields: ["Status"], fields: { Status: "ACTIVE", "Employee #": 1043 } },
    ]);
    expect(result).toEqual({
      ok: true,
      ignored: 0,
      events: [
        {
          specversion: "1.0",
          id: "42-1795400000",
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
          id: "43-1795400000",
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

  it("ignores and counts employees whose status did not change, whatever their status", () => {
    const result = map([
      { id: "1", changedFields: ["Job Title"], fields: { Status: "Inactive", "Employee #": "E1" } },
      { id: "2", changedFields: [], fields: {} },
      { id: "3", changedFields: ["status"], fields: { status: "Inactive", "Employee #": "E3" } },
    ]);
    expect(result).toEqual({ ok: true, events: [], ignored: 3 });
  });

  it("reads values given as {value: …} and treats blank values as missing", () => {
    const result = map(
      [
        {
          id: "7",
          changedFields: ["Status"],
          fields: { Status: { value: "Inactive" }, Login: { value: " jdoe " }, "Employee #": "  " },
        },
      ],
      { loginField: "Login" },
    );
    expect(result.ok && result.events[0]?.data.accountPlatform).toEqual({ login: "jdoe" });
    const blank = map([
      { id: "8", changedFields: ["Status"], fields: { Status: "Inactive", "Employee #": " " } },
    ]);
    expect(blank).toEqual({
      ok: false,
      problems: [
        {
          path: "$.employees[0].fields",
          message: 'has no value in any target field ("Employee #")',
        },
      ],
    });
  });

  it("prefers the login to the external id, falls back to the external id, and adds OSIS when configured", () => {
    const mapping = { loginField: "Username", osisCdUserField: "Username" };
    const result = map(
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

  it("takes the subject from the configured field, and never falls back to the employee id", () => {
    const mapping = { subjectField: "Employee #" };
    const ok = map(
      [{ id: "1", changedFields: ["Status"], fields: { Status: "Active", "Employee #": "emp-1" } }],
      mapping,
    );
    expect(ok.ok && ok.events[0]?.subject).toBe("emp-1");
    const missing = map([{ id: "1", changedFields: ["Status"], fields: { Status: "Active" } }], {
      ...mapping,
      loginField: "Login",
    });
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.problems[0]?.path).toBe('$.employees[0].fields["Employee #"]');
  });

  it("validates each mapped event with the shared schema and reports it at the employee", () => {
    const result = map([
      {
        id: "x".repeat(130),
        changedFields: ["Status"],
        fields: { Status: "Active", "Employee #": "E" },
      },
    ]);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((problem) => problem.path)).toEqual([
      "$.employees[0]",
      "$.employees[0]",
    ]);
    expect(!result.ok && result.problems.map((problem) => problem.message)).toEqual([
      expect.stringMatching(/^maps to an invalid event: \$\.id must be at most 128 characters/),
      expect.stringMatching(/^maps to an invalid event: \$\.subject /),
    ]);
  });

  it("refuses a body that is not BambooHR's shape with JSON paths", () => {
    expect(mapBambooHrBody([], TIMESTAMP, DEFAULT_BAMBOOHR_MAPPING)).toEqual({
      ok: false,
      problems: [{ path: "$", message: 'must be a JSON object with "employees"' }],
    });
    expect(mapBambooHrBody({}, TIMESTAMP, DEFAULT_BAMBOOHR_MAPPING)).toEqual({
      ok: false,
      problems: [{ path: "$.employees", message: "must be an array of employees" }],
    });
  });
});
