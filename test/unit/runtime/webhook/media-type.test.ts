import { describe, expect, it } from "vitest";
import { classifyContentType } from "../../../../shared/runtime/webhook/media-type.ts";

describe("classifyContentType", () => {
  it("tells one event from a batch on /events, parameters and case aside", () => {
    expect(classifyContentType("events", "application/cloudevents+json")).toBe("event");
    expect(classifyContentType("events", "Application/JSON; charset=UTF-8")).toBe("event");
    expect(classifyContentType("events", "application/cloudevents-batch+json;charset=utf-8")).toBe(
      "batch",
    );
    expect(classifyContentType("events", 'application/json; charset="utf-8"')).toBe("event");
    expect(classifyContentType("events", "application/json; profile=x")).toBe("event");
  });

  it("takes application/json and form encoding on /bamboohr", () => {
    expect(classifyContentType("bamboohr", "application/json; charset=utf-8")).toBe("bamboohr");
    expect(classifyContentType("bamboohr", "application/x-www-form-urlencoded")).toBe(
      "bamboohr-form",
    );
    expect(classifyContentType("bamboohr", "application/cloudevents+json")).toBeUndefined();
  });

  it("refuses other types, other charsets and a missing header", () => {
    for (const type of [
      "text/plain",
      "application/cloudevents-batch+json; charset=iso-8859-1",
      "application/jsonx",
      "",
      undefined,
    ]) {
      expect(classifyContentType("events", type), String(type)).toBeUndefined();
    }
  });
});
