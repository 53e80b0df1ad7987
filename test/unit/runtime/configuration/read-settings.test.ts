import { describe, expect, it } from "vitest";
import { readSettings } from "../../../../shared/runtime/configuration/read-settings.ts";
import {
  list,
  optionalText,
  text,
  wholeNumber,
} from "../../../../shared/runtime/configuration/setting-fields.ts";
import { ConfigurationError } from "../../../../shared/runtime/errors/configuration-error.ts";

const fields = {
  QUEUE_URL: text,
  BASE: wholeNumber(5, 0, 60),
  CAP: wholeNumber(30, 0, 60),
  NOTE: optionalText,
  NAMES: list,
};

function problemsOf(read: () => unknown): readonly string[] {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigurationError");
}

describe("readSettings", () => {
  it("reads each setting by its rule, defaults for what is not given", () => {
    expect(readSettings(fields, { QUEUE_URL: " q ", CAP: "40" }, "unused")).toEqual({
      QUEUE_URL: "q",
      BASE: 5,
      CAP: 40,
      NOTE: undefined,
      NAMES: [],
    });
  });

  it("takes a blank value as not given", () => {
    const values = readSettings(fields, { QUEUE_URL: "q", BASE: "  ", NOTE: "", NAMES: " " }, "-");
    expect(values).toMatchObject({ BASE: 5, NOTE: undefined, NAMES: [] });
    expect(problemsOf(() => readSettings(fields, { QUEUE_URL: "   " }, "-"))).toEqual([
      "QUEUE_URL is required",
    ]);
  });

  it("names every problem at once, in one error with the summary", () => {
    const read = () => readSettings(fields, { BASE: "-1", CAP: "many" }, "Not usable");
    expect(read).toThrow(/^Not usable:\n {2}- QUEUE_URL is required\n/);
    expect(problemsOf(read)).toEqual([
      "QUEUE_URL is required",
      'BASE must be a whole number from 0 to 60 (got "-1")',
      'CAP must be a whole number from 0 to 60 (got "many")',
    ]);
  });

  it("runs the cross-setting checks when another setting is bad, without the bad one", () => {
    const seen: unknown[] = [];
    const problems = problemsOf(() =>
      readSettings(fields, { BASE: "50", CAP: "20", NOTE: "x", NAMES: 3 }, "-", {
        checks: [
          (values, given) => {
            seen.push(values, given("NAMES"), given("NOTE"), given("QUEUE_URL"));
            const { BASE: base, CAP: cap } = values;
            return base !== undefined && cap !== undefined && cap < base
              ? [{ setting: "CAP", message: `(${cap}) must not be below BASE (${base})` }]
              : [];
          },
          () => [{ message: "a problem of no one setting" }],
        ],
      }),
    );
    expect(problems).toEqual([
      "QUEUE_URL is required",
      "NAMES must be a comma-separated string or a list of strings",
      "CAP (20) must not be below BASE (50)",
      "a problem of no one setting",
    ]);
    expect(seen).toEqual([{ BASE: 50, CAP: 20, NOTE: "x" }, true, true, false]);
  });

  it("names a key as the user wrote it, a part of a value after a colon, and unknown keys", () => {
    const rules = {
      tuning: (given: unknown) =>
        given === undefined
          ? { ok: true as const, value: {} }
          : { ok: false as const, problems: ["X is not tunable"], inside: true },
      size: wholeNumber(1, 1, 9),
    };
    const problems = problemsOf(() =>
      readSettings(rules, { tuning: { X: 1 }, size: 0, sise: 2 }, "-", {
        name: (key) => `app:${key}`,
        unknownKey: "is not a known key",
      }),
    );
    expect(problems).toEqual([
      "app:tuning: X is not tunable",
      "app:size must be a whole number from 1 to 9 (got 0)",
      "app:sise is not a known key",
    ]);
  });
});
