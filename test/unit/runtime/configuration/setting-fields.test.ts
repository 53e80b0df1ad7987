import { describe, expect, it } from "vitest";
import { bambooHrFields } from "../../../../shared/runtime/configuration/bamboohr-settings.ts";
import { osisCredentials } from "../../../../shared/runtime/configuration/platform-fields.ts";
import {
  datacenterUrl,
  fifoQueueUrl,
  list,
  onOff,
  optionalText,
  osisBasePath,
  osisOrigin,
  string,
  trueOrFalse,
} from "../../../../shared/runtime/configuration/setting-fields.ts";
import { checked, matches, must } from "../../../../shared/runtime/configuration/setting-rule.ts";

describe("the setting rules", () => {
  it("take blank, null and missing as not given", () => {
    for (const given of [undefined, null, "", "   "]) {
      expect(optionalText(given)).toEqual({ ok: true, value: undefined });
      expect(onOff(given)).toEqual({ ok: true, value: false });
      expect(osisBasePath(given)).toEqual({ ok: true, value: "/api/v1" });
      expect(fifoQueueUrl(given)).toEqual({ ok: false, problems: ["is required"] });
    }
  });

  it("read a list from a comma-separated string or a list, blanks dropped", () => {
    expect(list(" a, ,b ,")).toEqual({ ok: true, value: ["a", "b"] });
    expect(list(["a", " ", " c"])).toEqual({ ok: true, value: ["a", "c"] });
    expect(list(["a", 1])).toEqual({
      ok: false,
      problems: ["must be a comma-separated string or a list of strings"],
    });
  });

  it("read the platform URLs as the clients take them", () => {
    expect(datacenterUrl(" https://dc.example.com/api/2/ ")).toEqual({
      ok: true,
      value: "https://dc.example.com",
    });
    expect(osisOrigin("https://osis.example.com/api/v1")).toEqual({
      ok: true,
      value: "https://osis.example.com",
    });
    expect(datacenterUrl("ftp://u:p@dc.example.com/?q")).toEqual({
      ok: false,
      problems: [
        "must be an http(s) URL",
        "must not carry credentials (they belong in the secret)",
        "must not have a query or fragment",
      ],
    });
  });

  it("read the switches: 1/0, yes/no, on/off in the environment, true/false in the context", () => {
    expect(onOff(" ON ")).toEqual({ ok: true, value: true });
    expect(trueOrFalse(true)(false)).toEqual({ ok: true, value: false });
    expect(trueOrFalse(true)("yes")).toEqual({
      ok: false,
      problems: ['must be true or false (got "yes")'],
    });
    expect(osisCredentials("delete")).toEqual({
      ok: false,
      problems: ['must be deactivate or ignore (got "delete")'],
    });
  });

  it("keep a BambooHR field set empty (it switches the field off), default one left out", () => {
    expect(bambooHrFields.BAMBOOHR_LOGIN_FIELD("  ")).toEqual({ ok: true, value: "" });
    expect(bambooHrFields.BAMBOOHR_EXTERNAL_ID_FIELD(undefined)).toEqual({
      ok: true,
      value: "Employee #",
    });
    expect(bambooHrFields.BAMBOOHR_STATUS_FIELD("")).toEqual({
      ok: false,
      problems: ["must not be empty"],
    });
  });

  it("say every condition a value fails, and none for a value that is not read", () => {
    const name = checked(
      string,
      matches(/^\S+$/, "must have no spaces"),
      must(
        (value: string) => !value.startsWith("aws."),
        (value) => `must not be ${value}`,
      ),
    );
    expect(name("aws. x")).toEqual({
      ok: false,
      problems: ["must have no spaces", "must not be aws. x"],
    });
    expect(name(7)).toEqual({ ok: false, problems: ["must be a string (got 7)"] });
  });
});
