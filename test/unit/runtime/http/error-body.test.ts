import { describe, expect, it } from "vitest";
import { summarizeErrorBody } from "../../../../shared/runtime/http/error-body.ts";

describe("summarizeErrorBody", () => {
  it("reads the account platform shape, with a numeric or a string code", () => {
    const body = (code: unknown) => ({
      error: { code, message: "User not found", details: { info: null }, domain: "PAS" },
    });
    expect(summarizeErrorBody(body(1001))).toEqual({ code: "1001", message: "User not found" });
    expect(summarizeErrorBody(body("1001"))).toEqual({ code: "1001", message: "User not found" });
  });

  it("reads the token endpoint's OAuth shape", () => {
    expect(
      summarizeErrorBody({ error: "invalid_client", error_description: "unknown client" }),
    ).toEqual({ code: "invalid_client", message: "unknown client" });
  });

  it("reads the OSIS shape, and JSON that arrived as text", () => {
    expect(summarizeErrorBody({ code: "E_BAD_REQUEST", message: "invalid value" })).toEqual({
      code: "E_BAD_REQUEST",
      message: "invalid value",
    });
    expect(summarizeErrorBody('{"code":"E_NOT_FOUND"}')).toEqual({ code: "E_NOT_FOUND" });
  });

  it("turns HTML or plain text into one short line", () => {
    expect(summarizeErrorBody("<html><body><h1>Bad\nGateway</h1></body></html>")).toEqual({
      message: "Bad Gateway",
    });
    const long = summarizeErrorBody("x".repeat(5_000)).message ?? "";
    expect(long.length).toBeLessThanOrEqual(300);
  });

  it("survives any other shape", () => {
    for (const body of [undefined, null, 42, true, [], [1, 2], {}, { error: 5 }, "{broken json"]) {
      expect(() => summarizeErrorBody(body)).not.toThrow();
    }
    expect(summarizeErrorBody({ code: { nested: true }, message: 7 })).toEqual({});
    expect(summarizeErrorBody("   ")).toEqual({});
  });
});
