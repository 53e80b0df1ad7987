import { describe, expect, it } from "vitest";
import {
  deadLetterDeduplicationId,
  eventTimeMs,
  MAX_EVENT_BYTES,
  parseLifecycleEvent,
  redriveDeduplicationId,
  sourceDeduplicationId,
  validateLifecycleEvent,
  wantsEnabled,
} from "../../../../shared/runtime/events/index.ts";

const valid = () => ({
  specversion: "1.0",
  id: "evt-1",
  source: "urn:hr:workday",
  type: "user.offboarded",
  time: "2026-11-23T10:00:00+01:00",
  subject: "emp-42",
  data: { accountPlatform: { login: "jdoe" }, osis: { cdUserId: "jdoe" }, reason: "left" },
});

function problemsOf(input: unknown) {
  const result = validateLifecycleEvent(input);
  if (result.ok) throw new Error("expected the event to be refused");
  return result.problems;
}

describe("lifecycle event schema", () => {
  it("accepts a complete event and keeps top-level extensions", () => {
    const result = validateLifecycleEvent({ ...valid(), traceparent: "00-abc" });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.event).toMatchObject({ traceparent: "00-abc", subject: "emp-42" });
  });

  it("accepts each single way of naming an account-platform user", () => {
    for (const accountPlatform of [
      { userId: "1c234e69-5469-424a-a6d1-ff5658b387a6" },
      { externalId: "E-1" },
      { login: "jdoe" },
    ]) {
      expect(validateLifecycleEvent({ ...valid(), data: { accountPlatform } }).ok).toBe(true);
    }
  });

  it("accepts OSIS by tenant and user, or by cd user with an optional cd tenant", () => {
    for (const osis of [
      { tenantId: "t", userId: "u" },
      { cdUserId: "c" },
      { cdUserId: "c", cdTenantId: "ct" },
    ]) {
      expect(validateLifecycleEvent({ ...valid(), data: { osis } }).ok).toBe(true);
    }
  });

  it("refuses unknown fields in data, naming their path", () => {
    const problems = problemsOf({ ...valid(), data: { ...valid().data, enabled: false } });
    expect(problems).toEqual([expect.objectContaining({ path: "$.data" })]);
    expect(problems[0]?.message).toMatch(/enabled/);
  });

  it("words the schema's own problems in English, as producers read them", () => {
    const data = { ...valid().data, reason: "x".repeat(1025), enabled: false };
    expect(problemsOf({ ...valid(), type: "user.moved", data })).toEqual([
      { path: "$.type", message: 'must be one of "user.onboarded", "user.offboarded"' },
      { path: "$.data.reason", message: "Too big: expected string to have <=1024 characters" },
      { path: "$.data", message: 'Unrecognized key: "enabled"' },
    ]);
  });

  it("refuses an event with no target", () => {
    expect(problemsOf({ ...valid(), data: { reason: "x" } })[0]).toMatchObject({
      path: "$.data",
      message: expect.stringMatching(/at least one target/),
    });
  });

  it("refuses two ways of naming the same account-platform user", () => {
    const problems = problemsOf({
      ...valid(),
      data: { accountPlatform: { login: "a", externalId: "b" } },
    });
    expect(problems[0]?.path).toBe("$.data.accountPlatform");
  });

  it("refuses a half-given OSIS user and mixed OSIS forms", () => {
    expect(problemsOf({ ...valid(), data: { osis: { tenantId: "t" } } })[0]?.path).toBe(
      "$.data.osis",
    );
    expect(
      problemsOf({ ...valid(), data: { osis: { tenantId: "t", userId: "u", cdUserId: "c" } } })[0]
        ?.path,
    ).toBe("$.data.osis");
  });

  it("lists every problem with its JSON path", () => {
    const problems = problemsOf({
      ...valid(),
      specversion: "0.3",
      id: "",
      type: "user.moved",
      time: "yesterday",
      subject: "has space",
    });
    expect(problems.map((p) => p.path).sort()).toEqual([
      "$.id",
      "$.specversion",
      "$.subject",
      "$.time",
      "$.type",
    ]);
  });

  it("refuses ids over 128 characters and subjects outside the allowed set", () => {
    expect(problemsOf({ ...valid(), id: "x".repeat(129) })[0]?.path).toBe("$.id");
    expect(problemsOf({ ...valid(), subject: "a#b" })[0]?.path).toBe("$.subject");
    expect(problemsOf({ ...valid(), subject: "x".repeat(129) })[0]?.path).toBe("$.subject");
  });

  it("refuses a time without an offset, or with an impossible date", () => {
    expect(problemsOf({ ...valid(), time: "2026-11-23T10:00:00" })[0]?.path).toBe("$.time");
    expect(problemsOf({ ...valid(), time: "2026-02-30T10:00:00Z" })[0]?.path).toBe("$.time");
    expect(problemsOf({ ...valid(), time: "2026-11-23T24:00:00Z" })[0]?.path).toBe("$.time");
    expect(validateLifecycleEvent({ ...valid(), time: "2028-02-29T23:59:59.123Z" }).ok).toBe(true);
  });

  it("refuses a platform id that could leave its path segment or filter value", () => {
    const unsafe = [
      ".",
      "..",
      "%2e%2e",
      "a/b",
      "a\\b",
      "50%",
      "a?b",
      "a#b",
      "a\u0000b",
      "a\u007fb",
      "\ud800",
    ];
    for (const id of unsafe) {
      expect(problemsOf({ ...valid(), data: { osis: { tenantId: id, userId: "u" } } })).toEqual([
        expect.objectContaining({ path: "$.data.osis.tenantId" }),
      ]);
      expect(problemsOf({ ...valid(), data: { osis: { tenantId: "t", userId: id } } })).toEqual([
        expect.objectContaining({ path: "$.data.osis.userId" }),
      ]);
      expect(problemsOf({ ...valid(), data: { osis: { cdUserId: id, cdTenantId: id } } })).toEqual([
        expect.objectContaining({ path: "$.data.osis.cdUserId" }),
        expect.objectContaining({ path: "$.data.osis.cdTenantId" }),
      ]);
      expect(problemsOf({ ...valid(), data: { accountPlatform: { login: id } } })).toEqual([
        expect.objectContaining({ path: "$.data.accountPlatform.login" }),
      ]);
      expect(problemsOf({ ...valid(), data: { accountPlatform: { externalId: id } } })).toEqual([
        expect.objectContaining({ path: "$.data.accountPlatform.externalId" }),
      ]);
    }
    const ordinary = { tenantId: "tenant-1", userId: "jane.doe+ops@example.com" };
    expect(validateLifecycleEvent({ ...valid(), data: { osis: ordinary } }).ok).toBe(true);
    expect(validateLifecycleEvent({ ...valid(), data: { osis: { cdUserId: "..." } } }).ok).toBe(
      true,
    );
  });

  it("refuses a time further ahead of the clock than allowed, naming $.time", () => {
    const clock = { now: Date.parse("2026-11-23T10:00:00Z"), maxFutureSeconds: 300 };
    const at = (time: string) => validateLifecycleEvent({ ...valid(), time }, "$", clock);
    expect(at("2026-11-23T10:05:00Z").ok).toBe(true);
    expect(at("2062-01-01T00:00:00Z")).toEqual({
      ok: false,
      problems: [
        {
          path: "$.time",
          message:
            "is more than 300 seconds ahead of now (2026-11-23T10:00:00.000Z): check the sender's clock",
        },
      ],
    });
    expect(at("2026-11-23T11:05:01+01:00").ok).toBe(false);
    expect(validateLifecycleEvent({ ...valid(), time: "2062-01-01T00:00:00Z" }).ok).toBe(true);
  });

  it("refuses a non-object with a problem, not an exception", () => {
    expect(problemsOf(42)[0]?.path).toBe("$");
    expect(problemsOf(null)[0]?.path).toBe("$");
  });
});

describe("data.effectiveAt", () => {
  const at = (effectiveAt: string) => ({ ...valid(), data: { ...valid().data, effectiveAt } });
  const limits = {
    now: Date.parse("2026-11-23T10:00:00Z"),
    maxFutureSeconds: 300,
    maxScheduleDays: 400,
  };

  it("is an RFC 3339 instant with an offset", () => {
    expect(validateLifecycleEvent(at("2026-12-04T18:00:00+01:00"), "$", limits).ok).toBe(true);
    expect(problemsOf(at("2026-12-04T18:00:00"))).toEqual([
      expect.objectContaining({ path: "$.data.effectiveAt" }),
    ]);
    expect(problemsOf(at("2026-12-04"))[0]?.path).toBe("$.data.effectiveAt");
  });

  it("may be at most LIFECYCLE_MAX_SCHEDULE_DAYS ahead of now", () => {
    expect(validateLifecycleEvent(at("2027-12-28T10:00:00Z"), "$", limits).ok).toBe(true);
    const result = parseLifecycleEvent(JSON.stringify(at("2027-12-28T10:00:01Z")), limits);
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          path: "$.data.effectiveAt",
          message: "is more than 400 days ahead (LIFECYCLE_MAX_SCHEDULE_DAYS)",
        },
      ],
    });
  });
});

describe("parseLifecycleEvent", () => {
  it("parses serialized JSON", () => {
    expect(parseLifecycleEvent(JSON.stringify(valid())).ok).toBe(true);
  });

  it("says when the body is not JSON", () => {
    expect(parseLifecycleEvent("{nope")).toEqual({
      ok: false,
      problems: [{ path: "$", message: "is not valid JSON" }],
    });
  });

  it("enforces the size limit before parsing", () => {
    const big = JSON.stringify({ ...valid(), padding: "x".repeat(MAX_EVENT_BYTES) });
    const result = parseLifecycleEvent(big);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.message).toMatch(/limit is 65536/);
  });
});

describe("event helpers", () => {
  it("orders by epoch milliseconds, not by string", () => {
    expect(eventTimeMs({ time: "2026-11-23T10:00:00+01:00" })).toBeLessThan(
      eventTimeMs({ time: "2026-11-23T09:30:00Z" }),
    );
  });

  it("maps onboard to enabled and offboard to disabled", () => {
    expect(wantsEnabled({ type: "user.onboarded" })).toBe(true);
    expect(wantsEnabled({ type: "user.offboarded" })).toBe(false);
  });
});

describe("deduplication ids", () => {
  it("are SHA-256 hex, stable for the same event and distinct across sources", () => {
    const a = sourceDeduplicationId({ source: "s", id: "1" });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(sourceDeduplicationId({ source: "s", id: "1" })).toBe(a);
    expect(sourceDeduplicationId({ source: "s1", id: "" })).not.toBe(
      sourceDeduplicationId({ source: "s", id: "1" }),
    );
  });

  it("separate DLQ attempts and redrive times", () => {
    expect(deadLetterDeduplicationId("m", 1)).not.toBe(deadLetterDeduplicationId("m", 2));
    const event = { source: "s", id: "1" };
    expect(redriveDeduplicationId(event, 1)).not.toBe(redriveDeduplicationId(event, 2));
    expect(redriveDeduplicationId(event, 1)).not.toBe(sourceDeduplicationId(event));
  });
});
