import { describe, expect, it } from "vitest";
import {
  describePlan,
  planOfFailure,
  planOfStale,
  planOfTargets,
} from "../../../../shared/runtime/consumer/event-plan.ts";
import { classifyFailure } from "../../../../shared/runtime/consumer/failure-classification.ts";
import {
  NotFoundError,
  UnavailableError,
} from "../../../../shared/runtime/errors/platform-errors.ts";
import type { AccountPlatformUser } from "../../../../shared/runtime/platforms/account-platform/account-platform.ts";

const account = (enabled: boolean): AccountPlatformUser => ({
  id: "1c23",
  version: 3,
  tenant_id: "t",
  login: "jdoe",
  enabled,
});
const osis = (active: boolean) => ({
  tenantId: "tenant-1",
  userId: "u-jdoe",
  user: { tenant_id: "tenant-1", cd_user_id: "jdoe", cd_tenant_id: "cd", active },
});

describe("the plan in words", () => {
  it("names each change, with the version the write would carry", () => {
    const plan = planOfTargets(false, { account: account(true), osis: osis(true) }, false);
    expect(describePlan(plan)).toBe(
      "would disable account-platform user 1c23 (version 3); would deactivate OSIS user tenant-1/u-jdoe",
    );
    const half = planOfTargets(true, { account: account(true), osis: osis(false) }, false);
    expect(describePlan(half)).toBe(
      "account-platform user 1c23 already enabled; would activate OSIS user tenant-1/u-jdoe",
    );
  });

  it("says when nothing is to do, on both platforms or the one named", () => {
    const done = { account: account(false), osis: osis(false) };
    expect(describePlan(planOfTargets(false, done, false))).toBe(
      "already as wanted on both platforms: nothing to do",
    );
    expect(
      describePlan(planOfTargets(false, { account: undefined, osis: osis(false) }, false)),
    ).toBe("already as wanted on OSIS: nothing to do");
  });

  it("says the OSIS user's S3 keys would be checked (OSIS_CREDENTIALS=deactivate), not which", () => {
    const plan = planOfTargets(false, { account: account(true), osis: osis(true) }, true);
    expect(describePlan(plan)).toBe(
      "would disable account-platform user 1c23 (version 3); would deactivate OSIS user tenant-1/u-jdoe (and would check its S3 keys)",
    );
    const done = planOfTargets(false, { account: account(false), osis: osis(false) }, true);
    expect(describePlan(done)).toBe(
      "already as wanted on both platforms: nothing to do but check the OSIS user's S3 keys",
    );
    const accountOnly = planOfTargets(false, { account: account(false), osis: undefined }, true);
    expect(describePlan(accountOnly)).toBe(
      "already as wanted on the account platform: nothing to do",
    );
  });

  it("says when an earlier OSIS write that may still land holds the OSIS change", () => {
    const until = Date.parse("2026-12-07T18:00:30Z");
    const plan = planOfTargets(false, { account: account(true), osis: osis(true) }, false, until);
    expect(describePlan(plan)).toBe(
      "would disable account-platform user 1c23 (version 3); would deactivate OSIS user tenant-1/u-jdoe, not before 2026-12-07T18:00:30.000Z (an earlier OSIS write may still land)",
    );
    const done = planOfTargets(false, { account: account(false), osis: osis(false) }, false, until);
    expect(describePlan(done)).toBe(
      "already as wanted on both platforms: nothing to do, but not before 2026-12-07T18:00:30.000Z (an earlier OSIS write may still land)",
    );
  });

  it("names the refusal or the retry the consumer would make", () => {
    const notFound = new NotFoundError("osis getUser: 404", {
      platform: "osis",
      operation: "getUser",
      status: 404,
    });
    expect(describePlan(planOfFailure(classifyFailure(notFound)))).toBe(
      "would dead-letter: not_found (osis): osis getUser: 404",
    );
    const down = new UnavailableError("account-platform getUser: 503", {
      platform: "account-platform",
      operation: "getUser",
      status: 503,
    });
    expect(describePlan(planOfFailure(classifyFailure(down)))).toBe(
      "would retry: account-platform: account-platform getUser: 503",
    );
  });

  it("says a scheduled event waits for its effectiveAt, and what a stale one is behind", () => {
    expect(
      describePlan({ kind: "scheduled", effectiveAt: Date.parse("2026-12-04T17:00:00Z") }),
    ).toBe("would be scheduled until 2026-12-04T17:00:00.000Z: nothing is written before then");
    const ref = (id: string, time: string) => ({
      source: "urn:hr",
      id,
      type: "user.offboarded" as const,
      time: Date.parse(time),
    });
    const applied = { ...ref("applied", "2026-11-01T00:00:00Z"), appliedAt: 0 };
    const pending = ref("pending", "2026-11-20T00:00:00Z");
    const person = {
      subject: "p",
      history: [],
      updatedAt: 0,
      newestApplied: applied,
      pendingChanges: [
        { ...pending, effectiveAt: Date.parse("2026-12-04T17:00:00Z"), scheduledAt: 0 },
      ],
    };
    expect(describePlan(planOfStale(person, ref("older", "2026-11-10T00:00:00Z")))).toBe(
      "stale: a newer user.offboarded of 2026-11-20T00:00:00.000Z is scheduled for 2026-12-04T17:00:00.000Z: nothing to do",
    );
    expect(describePlan(planOfStale(person, ref("oldest", "2026-10-01T00:00:00Z")))).toBe(
      "stale: a newer user.offboarded of 2026-11-01T00:00:00.000Z was applied: nothing to do",
    );
  });
});
