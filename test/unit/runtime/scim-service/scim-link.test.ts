import { describe, expect, it } from "vitest";
import type { PersonRecord } from "../../../../shared/runtime/ledger/person-record.ts";
import {
  decidedActive,
  isDeprovisioned,
  isLinked,
  type ScimLink,
} from "../../../../shared/runtime/scim-service/scim-link.ts";

const link = (decided?: ScimLink["decided"], more: Partial<ScimLink> = {}): ScimLink => ({
  accountUserId: "u1",
  decided,
  ...more,
});

const person = (decidedAt: number, desiredEnabled: boolean): PersonRecord => ({
  subject: "1001",
  newestApplied: {
    source: "urn:hr",
    id: "e1",
    type: desiredEnabled ? "user.onboarded" : "user.offboarded",
    time: decidedAt,
    decidedAt,
    appliedAt: decidedAt + 5,
  },
  desiredEnabled,
  history: [],
  updatedAt: decidedAt + 5,
});

describe("decidedActive: the state SCIM shows", () => {
  it("rule 1: the link's decision while nothing as new was applied, whatever the platform says", () => {
    expect(
      decidedActive({
        link: link({ active: false, at: 100 }),
        person: undefined,
        platformEnabled: true,
      }),
    ).toBe(false);
    expect(
      decidedActive({
        link: link({ active: false, at: 100 }),
        person: person(99, true),
        platformEnabled: true,
      }),
    ).toBe(false);
  });

  it("rule 2: the ledger's applied decision once it is as new as the link's, or newer", () => {
    expect(
      decidedActive({
        link: link({ active: false, at: 100 }),
        person: person(100, false),
        platformEnabled: true,
      }),
    ).toBe(false);
    expect(
      decidedActive({
        link: link({ active: false, at: 100 }),
        person: person(200, true),
        platformEnabled: false,
      }),
    ).toBe(true);
    expect(
      decidedActive({ link: undefined, person: person(50, false), platformEnabled: true }),
    ).toBe(false);
  });

  it("rule 3: the platform's own state when nothing was decided", () => {
    expect(decidedActive({ link: link(), person: undefined, platformEnabled: true })).toBe(true);
    expect(decidedActive({ link: undefined, person: undefined, platformEnabled: false })).toBe(
      false,
    );
  });
});

describe("a link's state", () => {
  it("is linked after a POST until a DELETE; deprovisioned after a DELETE", () => {
    expect(isLinked(undefined)).toBe(false);
    expect(isLinked(link({ active: true, at: 1 }))).toBe(false);
    expect(isLinked(link(undefined, { linkedAt: 1 }))).toBe(true);
    expect(isLinked(link(undefined, { linkedAt: 1, deprovisioned: true }))).toBe(false);
    expect(isDeprovisioned(link(undefined, { linkedAt: 1, deprovisioned: true }))).toBe(true);
    expect(isDeprovisioned(undefined)).toBe(false);
  });
});
