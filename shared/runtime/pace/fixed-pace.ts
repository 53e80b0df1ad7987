/**
 * A pace set in advance, not learned (reconciliation's RECONCILE_RATE_PER_SECOND, the redrive's
 * `--rate`; a platform's learned pace is PlatformPace). Spaces actions at most `perSecond`
 * apart: the first goes at once, each next one no sooner than 1/N s after the previous one
 * started. Undefined rate: no spacing.
 */
export class FixedPace {
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  #next = 0;

  constructor(options: {
    perSecond: number | undefined;
    now?: () => number;
    sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  }) {
    this.#intervalMs = options.perSecond ? 1000 / options.perSecond : 0;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? abortableSleep;
  }

  async wait(signal?: AbortSignal): Promise<void> {
    if (this.#intervalMs === 0) return;
    const now = this.#now();
    const delay = Math.max(0, this.#next - now);
    this.#next = Math.max(now, this.#next) + this.#intervalMs;
    if (delay > 0) await this.#sleep(delay, signal);
  }
}

/** Resolves after `ms`, or at once when `signal` aborts (the caller checks `signal.aborted`). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
