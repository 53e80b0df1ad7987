import * as ky from "ky";
import { HTTPError, NetworkError, TimeoutError } from "ky";
import { describe, expect, it } from "vitest";
import { kyAtFirstUse, type LoadKy } from "../../../../shared/runtime/http/ky-at-first-use.ts";
import {
  isHttpError,
  isKyNetworkError,
  isKyTimeoutError,
} from "../../../../shared/runtime/http/ky-errors.ts";

/** ky's module, loaded through a counter that can be told to fail the next load. */
function countingLoad() {
  const loads = { count: 0, failNext: false };
  const load: LoadKy = async () => {
    loads.count += 1;
    if (loads.failNext) {
      loads.failNext = false;
      throw new Error("could not load ky");
    }
    return ky;
  };
  return { loads, load };
}

describe("kyAtFirstUse", () => {
  it("loads ky at the first request, not before, and once for every later request", async () => {
    const { loads, load } = countingLoad();
    const instance = kyAtFirstUse({ prefix: "https://platform.example" }, load);
    expect(loads.count).toBe(0);

    const [first, second] = await Promise.all([instance(), instance()]);
    expect(await instance()).toBe(first);
    expect(second).toBe(first);
    expect(loads.count).toBe(1);
  });

  it("tries again at the next request after a failed load", async () => {
    const { loads, load } = countingLoad();
    const instance = kyAtFirstUse({}, load);
    loads.failNext = true;

    await expect(instance()).rejects.toThrow("could not load ky");
    await expect(instance()).resolves.toBeTypeOf("function");
    expect(loads.count).toBe(2);
  });
});

describe("ky's errors, told apart without importing ky", () => {
  const request = new Request("https://platform.example/users/u1");

  it("knows each of ky's errors as ky's own guards do", () => {
    const errors = [
      new HTTPError(new Response(null, { status: 503 }), request, {} as never),
      new NetworkError(request, { cause: new TypeError("fetch failed") }),
      new TimeoutError(request),
      new DOMException("The operation timed out.", "TimeoutError"),
      new TypeError("fetch failed"),
      undefined,
    ];
    const ours = errors.map((e) => [isHttpError(e), isKyNetworkError(e), isKyTimeoutError(e)]);
    const kys = errors.map((e) => [ky.isHTTPError(e), ky.isNetworkError(e), ky.isTimeoutError(e)]);

    expect(ours).toEqual(kys);
    expect(ours.slice(0, 3)).toEqual([
      [true, false, false],
      [false, true, false],
      [false, false, true],
    ]);
  });
});
