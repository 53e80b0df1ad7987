/**
 * A simulated platform's rate limit (what it enforces, answering 429 past it; the product's own
 * rate control is its pace, shared/runtime/pace/), kept as a token bucket: holds at most `perSecond` tokens (the burst), refilled continuously at
 * `perSecond` tokens a second. Measured on the monotonic clock.
 */
import { performance } from "node:perf_hooks";

export class RateLimit {
  readonly perSecond: number;
  readonly #capacity: number;
  #tokens: number;
  #refilledAt: number;

  constructor(perSecond: number) {
    if (!(perSecond > 0) || !Number.isFinite(perSecond)) {
      throw new RangeError(`a rate limit must be a positive number per second, got ${perSecond}`);
    }
    this.perSecond = perSecond;
    this.#capacity = Math.max(1, perSecond);
    this.#tokens = this.#capacity;
    this.#refilledAt = performance.now();
  }

  /** Takes one token; false when the bucket is empty (the caller is over the limit). */
  take(): boolean {
    const now = performance.now();
    this.#tokens = Math.min(
      this.#capacity,
      this.#tokens + ((now - this.#refilledAt) / 1000) * this.perSecond,
    );
    this.#refilledAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
