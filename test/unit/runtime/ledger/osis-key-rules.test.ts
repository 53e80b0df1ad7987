import { describe, expect, it } from "vitest";
import {
  inactiveKeys,
  keyWrites,
  markKeysInactiveBefore,
  settledKeys,
} from "../../../../shared/runtime/ledger/osis-key-rules.ts";
import type {
  OsisKeysRecord,
  PersonRecord,
} from "../../../../shared/runtime/ledger/person-record.ts";
import type { OsisKey } from "../../../../shared/runtime/platforms/osis/osis-credentials.ts";

const key = (accessKey: string, active: boolean): OsisKey => ({ accessKey, active });
const offboarded: OsisKeysRecord = {
  change: "offboard",
  event: "urn:hr#1",
  at: 1,
  deactivated: ["A", "B"],
  alreadyInactive: ["C"],
};

describe("OSIS key rules", () => {
  it("1: an offboard turns off every active key, whoever made it", () => {
    const keys = [key("A", true), key("B", false), key("NEW", true)];
    expect(keyWrites("offboard", keys, [], undefined)).toEqual([
      key("A", false),
      key("NEW", false),
    ]);
  });

  it("2: the keys off before the user's write are kept in the event's progress", () => {
    expect(inactiveKeys([key("A", true), key("B", false)])).toEqual(["B"]);
    const record = {
      subject: "s",
      history: [],
      updatedAt: 0,
      inProgress: { source: "x", id: "1", type: "user.offboarded", time: 0, attempts: 1, done: [] },
    } satisfies PersonRecord;
    expect(markKeysInactiveBefore(record, ["B"], 5).inProgress?.osisKeysInactiveBefore).toEqual([
      "B",
    ]);
    const idle = { ...record, inProgress: undefined };
    expect(markKeysInactiveBefore(idle, ["B"], 5)).toBe(idle);
  });

  it("3: an offboard records what it switched off, and what was off before it", () => {
    const settled = settledKeys({
      change: "offboard",
      event: "e",
      at: 9,
      keys: [key("A", false), key("B", false), key("C", false)],
      inactiveBefore: ["C"],
      last: undefined,
      platformManaged: false,
    });
    expect(settled).toEqual({
      change: "offboard",
      event: "e",
      at: 9,
      deactivated: ["A", "B"],
      alreadyInactive: ["C"],
    });
  });

  it("4: an offboard after an offboard adds to the first one's keys", () => {
    const settled = settledKeys({
      change: "offboard",
      event: "correction",
      at: 9,
      keys: [key("A", false), key("B", false), key("C", false), key("D", false)],
      inactiveBefore: ["A", "B", "C"],
      last: offboarded,
      platformManaged: false,
    });
    expect(settled).toMatchObject({ deactivated: ["A", "B", "D"], alreadyInactive: ["C"] });
  });

  it("5, 6, 7: a rehire turns on only what the offboard turned off, and turns off again what was off before", () => {
    // The platform switched every key on with the user; E was made active since.
    const keys = [key("A", true), key("B", false), key("C", true), key("E", true)];
    expect(keyWrites("rehire", keys, ["A", "B", "C"], offboarded)).toEqual([
      key("B", true),
      key("C", false),
    ]);
    // Without an offboard on record, nothing is turned on.
    expect(keyWrites("rehire", [key("A", false)], ["A"], undefined)).toEqual([]);
    expect(
      keyWrites("rehire", [key("A", false)], ["A"], { ...offboarded, change: "rehire" }),
    ).toEqual([]);
    const settled = settledKeys({
      change: "rehire",
      event: "r",
      at: 9,
      keys: [key("A", true), key("B", true), key("C", false)],
      inactiveBefore: ["A", "B", "C"],
      last: offboarded,
      platformManaged: false,
    });
    expect(settled).toEqual({
      change: "rehire",
      event: "r",
      at: 9,
      deactivated: [],
      alreadyInactive: ["C"],
      reactivated: ["A", "B"],
    });
  });

  it("8: platform-managed keys are recorded as such", () => {
    const settled = settledKeys({
      change: "offboard",
      event: "e",
      at: 1,
      keys: [key("A", true)],
      inactiveBefore: [],
      last: undefined,
      platformManaged: true,
    });
    expect(settled).toMatchObject({ deactivated: [], platformManaged: true });
  });
});
