import { HTTPError, NetworkError, TimeoutError } from "ky";
import { describe, expect, it } from "vitest";
import {
  NotFoundError,
  RateLimitedError,
  RejectedError,
  UnauthorizedError,
  UnavailableError,
  UnsupportedError,
  VersionConflictError,
} from "../../../../shared/runtime/errors/platform-errors.ts";
import {
  type ErrorContext,
  toPlatformError,
} from "../../../../shared/runtime/http/to-platform-error.ts";

const TOKEN = "tok-RECOGNIZABLE-9c2e";
const request = () =>
  new Request("https://dc.example/api/2/users/u1", {
    method: "PUT",
    headers: { authorization: `Bearer ${TOKEN}` },
  });

function httpError(status: number, data?: unknown, headers: Record<string, string> = {}) {
  const error = new HTTPError(new Response(null, { status, headers }), request(), {} as never);
  error.data = data;
  return error;
}

const context: ErrorContext = {
  platform: "account-platform",
  operation: "setEnabled",
  timeoutMs: 5_000,
  conflictStatuses: [409, 426],
  scrub: (text) => text.split(TOKEN).join("[redacted]"),
};

describe("toPlatformError", () => {
  it("maps each status to the error of what happened", () => {
    expect(toPlatformError(httpError(404), context)).toBeInstanceOf(NotFoundError);
    expect(toPlatformError(httpError(409), context)).toBeInstanceOf(VersionConflictError);
    expect(toPlatformError(httpError(426), context)).toBeInstanceOf(VersionConflictError);
    expect(toPlatformError(httpError(401), context)).toBeInstanceOf(UnauthorizedError);
    expect(toPlatformError(httpError(429), context)).toBeInstanceOf(RateLimitedError);
    expect(toPlatformError(httpError(501), context)).toBeInstanceOf(UnsupportedError);
    for (const status of [408, 500, 502, 503, 504]) {
      expect(toPlatformError(httpError(status), context)).toBeInstanceOf(UnavailableError);
    }
    for (const status of [400, 403, 415, 422]) {
      expect(toPlatformError(httpError(status), context)).toBeInstanceOf(RejectedError);
    }
  });

  it("treats 409 as a conflict only where the call says so", () => {
    const mapped = toPlatformError(httpError(409), { ...context, conflictStatuses: undefined });
    expect(mapped).toBeInstanceOf(RejectedError);
  });

  it("keeps the platform's code (number or string) and message on a rejection", () => {
    const numeric = toPlatformError(
      httpError(400, { error: { code: 1001, message: "Bad version" } }),
      context,
    ) as RejectedError;
    expect(numeric).toMatchObject({ code: "1001", platformMessage: "Bad version", status: 400 });
    const osis = toPlatformError(
      httpError(400, { code: "E_BAD_REQUEST", message: "invalid value" }),
      context,
    ) as RejectedError;
    expect(osis).toMatchObject({ code: "E_BAD_REQUEST", platformMessage: "invalid value" });
    expect(osis.message).toContain("E_BAD_REQUEST");
  });

  it("carries Retry-After on 429 and 503", () => {
    const limited = toPlatformError(httpError(429, undefined, { "retry-after": "3" }), context);
    expect(limited).toMatchObject({ retryAfterMs: 3_000 });
    const busy = toPlatformError(httpError(503, undefined, { "retry-after": "7" }), context);
    expect(busy).toMatchObject({ retryAfterMs: 7_000 });
  });

  it("maps timeouts and network failures to UnavailableError", () => {
    const timeout = toPlatformError(new TimeoutError(request()), context) as Error;
    expect(timeout).toBeInstanceOf(UnavailableError);
    expect(timeout.message).toContain("5000 ms");
    const reset = new NetworkError(request(), {
      cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }),
    });
    const network = toPlatformError(reset, context) as Error;
    expect(network).toBeInstanceOf(UnavailableError);
    expect(network.message).toContain("other side closed");
  });

  it("maps a caller's abort to UnavailableError", () => {
    const controller = new AbortController();
    controller.abort();
    const mapped = toPlatformError(new DOMException("aborted", "AbortError"), {
      ...context,
      signal: controller.signal,
    });
    expect(mapped).toBeInstanceOf(UnavailableError);
  });

  it("never carries the request (or its Authorization header)", () => {
    const echoed = httpError(400, { error: { code: "x", message: `bad header Bearer ${TOKEN}` } });
    const errors = [
      echoed,
      httpError(500),
      new TimeoutError(request()),
      new NetworkError(request(), { cause: new Error("reset") }),
    ].map((error) => toPlatformError(error, context) as Error);
    for (const error of errors) {
      expect(error.cause).toBeUndefined();
      expect(JSON.stringify(error)).not.toContain(TOKEN);
      expect(error.message).not.toContain(TOKEN);
      expect(Object.values(error)).not.toContainEqual(expect.any(Request));
    }
  });

  it("returns unknown errors unchanged: they are bugs, not platform answers", () => {
    const bug = new RangeError("oops");
    expect(toPlatformError(bug, context)).toBe(bug);
  });
});
