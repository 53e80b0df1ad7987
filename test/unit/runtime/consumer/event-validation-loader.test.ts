import { describe, expect, it, vi } from "vitest";
import { loadedOnce } from "../../../../shared/runtime/consumer/event-validation-loader.ts";

describe("loadedOnce", () => {
  it("loads at the first use, not before, and hands every use the same module", async () => {
    const load = vi.fn(async () => ({ loaded: true }));
    const use = loadedOnce(load);
    expect(load).not.toHaveBeenCalled();
    const [first, second] = await Promise.all([use(), use()]);
    expect(await use()).toBe(first);
    expect(second).toBe(first);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("does not keep a failed load: the use it failed fails, the next one loads again", async () => {
    const load = vi
      .fn(async () => ({ loaded: true }))
      .mockRejectedValueOnce(new Error("Cannot find module"));
    const use = loadedOnce(load);
    await expect(use()).rejects.toThrow("Cannot find module");
    await expect(use()).resolves.toEqual({ loaded: true });
    await use();
    expect(load).toHaveBeenCalledTimes(2);
  });
});
