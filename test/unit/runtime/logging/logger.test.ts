import { describe, expect, it } from "vitest";
import { createLogger } from "../../../../shared/runtime/logging/logger.ts";

function capture(format: "json" | "pretty" = "json") {
  const lines: string[] = [];
  const logger = createLogger({ level: "debug", format, sink: (line) => lines.push(line) });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, records };
}

/** A field `depth` objects down, under a key that names a credential. */
function buried(depth: number, secret: string): Record<string, unknown> {
  let value: Record<string, unknown> = { clientSecret: secret, kept: "visible" };
  for (let level = 0; level < depth; level += 1) value = { [`level${level}`]: [value] };
  return value;
}

describe("logger", () => {
  it("keeps its own level, message and timestamp whatever fields a line carries", () => {
    const { logger, records } = capture();
    logger.info("the real message", {
      level: "DEBUG",
      message: "a forged message",
      timestamp: "2000-01-01T00:00:00.000Z",
      time: "2000-01-01T00:00:00.000Z",
      service: "forged",
      cold_start: false,
      function_request_id: "forged-request",
      xray_trace_id: "forged-trace",
    });
    const line = records().find((record) => record.message === "the real message");
    expect(line).toBeDefined();
    expect(String(line?.level).toLowerCase()).toBe("info");
    expect(line?.timestamp).not.toBe("2000-01-01T00:00:00.000Z");
    expect(Date.now() - Date.parse(String(line?.timestamp))).toBeLessThan(60_000);
    expect(line?.service).not.toBe("forged");
    expect(line?.function_request_id).toBeUndefined();
    expect(line?.xray_trace_id).toBeUndefined();
    expect(line?.cold_start).toBeUndefined();
    expect(records().some((record) => record.message === "a forged message")).toBe(false);
  });

  it("keeps them against a child's fields too", () => {
    const { logger, records } = capture();
    logger.child({ message: "forged", level: "ERROR", subject: "p-1" }).warn("from the child");
    const line = records().find((record) => record.message === "from the child");
    expect(String(line?.level).toLowerCase()).toBe("warn");
    expect(line?.subject).toBe("p-1");
    // Powertools' warning about the dropped keys goes where the logger's lines go, too.
    expect(records().map((record) => record.message)).toEqual(
      expect.arrayContaining(['The key "message" is a reserved key and will be dropped.']),
    );
  });

  it("redacts a credential-named field at any depth, in arrays too", () => {
    const { logger, lines } = capture();
    logger.info("deep", { nested: buried(40, "SECRET-AT-DEPTH-40") });
    logger.info("shallow", buried(1, "SECRET-AT-DEPTH-1"));
    const child = logger.child({ context: buried(12, "SECRET-IN-A-CHILD") });
    child.info("child");
    const everything = lines.join("\n");
    expect(everything).not.toContain("SECRET-AT-DEPTH");
    expect(everything).not.toContain("SECRET-IN-A-CHILD");
    expect(everything).toContain("visible");
    expect(everything).toContain("[redacted]");
  });

  it("logs an error at any depth as its description, never its own fields", () => {
    const { logger, lines, records } = capture();
    const error = Object.assign(new TypeError("request failed"), {
      status: 502,
      options: { headers: { Authorization: "Bearer RAW-HEADER-TOKEN" } },
      request: { url: "https://example.invalid", body: "RAW-REQUEST-BODY" },
    });
    logger.error("top level", { error });
    logger.error("deep", { a: { b: { c: { d: { e: { f: { g: { h: [error] } } } } } } } });
    logger.error("as an argument", error);
    expect(lines.join("\n")).not.toMatch(/RAW-HEADER-TOKEN|RAW-REQUEST-BODY/);
    expect(records()[0]?.error).toEqual({
      name: "TypeError",
      message: "request failed",
      status: 502,
    });
  });

  it("survives a field that refers to itself", () => {
    const { logger, records } = capture();
    const loop: Record<string, unknown> = { name: "loop" };
    loop.self = loop;
    logger.info("cycle", { loop });
    expect(records()[0]?.message).toBe("cycle");
  });

  it("writes a short human line in a terminal, redacted the same way", () => {
    const { logger, lines } = capture("pretty");
    logger.child({ service: "consumer" }).warn("Event dead-lettered", {
      reason: "not_found",
      deep: buried(10, "PRETTY-SECRET"),
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} warn {2}Event dead-lettered {2}.*service=consumer.*reason=not_found/,
    );
    expect(lines[0]).not.toContain("PRETTY-SECRET");
  });
});
