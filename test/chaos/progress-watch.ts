import { setTimeout as sleep } from "node:timers/promises";

/**
 * The chaos drain's liveness check: a wait that fails only when nothing moves. Its time
 * depends on the machine (two cores shared with other work drain several times slower than
 * a quiet one), so no fixed deadline can tell a slow drain from a stuck one; a drain whose
 * progress count has not grown for `stallMs` is stuck, however long the whole took.
 */
export class DrainStalled extends Error {
  override readonly name = "DrainStalled";
}

export async function waitWhileProgressing(options: {
  /** What the wait is for, named in the failure. */
  what: string;
  done: () => boolean | Promise<boolean>;
  /** A count that grows whenever work ends (never shrinks). */
  progress: () => number;
  stallMs: number;
  intervalMs?: number;
}): Promise<void> {
  let last = options.progress();
  let movedAt = Date.now();
  while (!(await options.done())) {
    const now = options.progress();
    if (now !== last) {
      last = now;
      movedAt = Date.now();
    } else if (Date.now() - movedAt > options.stallMs) {
      throw new DrainStalled(
        `${options.what}: no progress in ${options.stallMs} ms (stuck at ${now})`,
      );
    }
    await sleep(options.intervalMs ?? 50);
  }
}
