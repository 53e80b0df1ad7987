import { describe, expect, it } from "vitest";
import { eventFromFlags } from "../../../../cli/input/event-from-flags.ts";
import { splitEventInput, validateAll, withDefaults } from "../../../../cli/input/event-input.ts";

const defaults = {
  source: "urn:lifecycle:cli",
  now: () => Date.parse("2026-11-23T09:30:00Z"),
  newId: () => "generated-id",
  maxFutureSeconds: 300,
};
const minimal = (subject: string) => ({
  type: "user.offboarded",
  subject,
  data: { osis: { cdUserId: subject } },
});

describe("splitEventInput", () => {
  it("takes one object, even pretty-printed over many lines", () => {
    const split = splitEventInput(JSON.stringify(minimal("a"), null, 2));
    expect(split).toEqual({ ok: true, values: [{ value: minimal("a"), where: "$" }] });
  });

  it("takes a JSON array", () => {
    const split = splitEventInput(
      `  [${JSON.stringify(minimal("a"))},${JSON.stringify(minimal("b"))}]`,
    );
    expect(split.ok && split.values.map((v) => v.where)).toEqual(["$[0]", "$[1]"]);
  });

  it("takes NDJSON, skipping blank lines, and names a bad line", () => {
    const good = JSON.stringify(minimal("a"));
    const split = splitEventInput(`${good}\r\n\n${good}\n`);
    expect(split.ok && split.values.map((v) => v.where)).toEqual(["line 1", "line 3"]);
    expect(splitEventInput(`${good}\n{oops\n`)).toMatchObject({
      ok: false,
      message: expect.stringContaining("Line 2 is not JSON"),
    });
  });

  it("refuses empty input and a broken array", () => {
    expect(splitEventInput(" \n")).toMatchObject({ ok: false });
    expect(splitEventInput("[1,")).toMatchObject({ ok: false });
  });
});

describe("withDefaults / validateAll", () => {
  it("fills only absent envelope fields", () => {
    expect(withDefaults(minimal("a"), defaults)).toEqual({
      specversion: "1.0",
      id: "generated-id",
      source: "urn:lifecycle:cli",
      time: "2026-11-23T09:30:00.000Z",
      ...minimal("a"),
    });
    expect(withDefaults({ ...minimal("a"), id: "mine", source: "urn:hr" }, defaults)).toMatchObject(
      {
        id: "mine",
        source: "urn:hr",
      },
    );
  });

  it("from a file: requires `time`, and derives an absent id from what the event says", () => {
    const file = { ...defaults, fromFile: true };
    const timed = { ...minimal("a"), time: "2026-11-20T08:00:00Z" };
    const id = (value: object) => (withDefaults(value, file) as { id: string }).id;
    expect(id(timed)).toMatch(/^content-[0-9a-f]{64}$/);
    expect(id({ data: timed.data, time: timed.time, subject: "a", type: timed.type })).toBe(
      id(timed),
    );
    expect(id({ ...timed, time: "2026-11-20T08:00:01Z" })).not.toBe(id(timed));
    expect(id({ ...timed, data: { osis: { cdUserId: "b" } } })).not.toBe(id(timed));
    expect(id({ ...timed, source: "urn:hr:other" })).not.toBe(id(timed));
    const result = validateAll([{ value: minimal("a"), where: "line 1" }], file);
    expect(!result.ok && result.problems).toEqual([
      expect.stringMatching(/^line 1: \$\.time is required in a file/),
    ]);
  });

  it("refuses every event when one is invalid, saying where and what", () => {
    const result = validateAll(
      [
        { value: minimal("good"), where: "$[0]" },
        { value: { ...minimal("bad"), type: "user.promoted" }, where: "$[1]" },
      ],
      defaults,
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([
      expect.stringMatching(
        /^\$\[1\]: \$\.type must be one of "user\.onboarded", "user\.offboarded"/,
      ),
    ]);
  });
});

describe("eventFromFlags", () => {
  it("maps the flags to the event's data, with `offboarded` short for `user.offboarded`", () => {
    expect(
      eventFromFlags({
        type: "offboarded",
        subject: "emp-42",
        accountLogin: "jdoe",
        osisCdUserId: "jdoe",
        osisCdTenantId: "cd-1",
        reason: "left",
      }),
    ).toEqual({
      type: "user.offboarded",
      subject: "emp-42",
      data: {
        accountPlatform: { login: "jdoe" },
        osis: { cdUserId: "jdoe", cdTenantId: "cd-1" },
        reason: "left",
      },
    });
  });
});
