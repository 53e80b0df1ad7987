import { CircuitOpenError, type PlatformName } from "../errors/platform-errors.ts";
import type { Admission, CallGate, ExchangeResult } from "../http/call-gate.ts";
import { describeError, type Logger } from "../logging/logger.ts";
import {
  type BreakerSettings,
  type BreakerState,
  CLOSED_BREAKER,
  decideCall,
  isOutageSign,
  opened,
  shouldOpen,
} from "./breaker-rules.ts";
import type { BreakerStore } from "./breaker-store.ts";

export interface PlatformBreakerOptions {
  platform: PlatformName;
  store: BreakerStore;
  settings: BreakerSettings;
  logger: Logger;
  now?: (() => number) | undefined;
}

/**
 * One platform's circuit breaker as the gate of its client's calls (breaker-rules.ts has the
 * rules). The shared state is read at most every half probe interval per execution environment
 * (and refreshed by every write's answer); whatever cannot be read or written counts as closed
 * (rule 6), with one warning per interval.
 */
export class PlatformBreaker implements CallGate {
  readonly platform: PlatformName;
  readonly #options: PlatformBreakerOptions;
  readonly #now: () => number;
  readonly #cacheMs: number;
  #state: BreakerState = CLOSED_BREAKER;
  #readAt = Number.NEGATIVE_INFINITY;
  #warnedAt = Number.NEGATIVE_INFINITY;

  constructor(options: PlatformBreakerOptions) {
    this.platform = options.platform;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#cacheMs = Math.min(2_000, options.settings.probeIntervalMs / 2);
  }

  /** The consumer's `PlatformUnavailable` metric (the state read at most every half interval). */
  async isOpenNow(): Promise<boolean> {
    return (await this.#current()).phase === "open";
  }

  /** When a caller that needs this platform may try again; undefined: it may try now. */
  async waitingUntil(): Promise<number | undefined> {
    const state = await this.#current();
    const now = this.#now();
    if (decideCall(state, now, this.#options.settings) !== "wait") return undefined;
    return state.nextProbeAt ?? now + this.#options.settings.probeIntervalMs;
  }

  async admit({ operation }: { operation: string }): Promise<Admission> {
    const state = await this.#current();
    const now = this.#now();
    const decision = decideCall(state, now, this.#options.settings);
    if (decision === "call") return { done: (result) => this.#afterCall(result) };
    const nextProbeAt = now + this.#options.settings.probeIntervalMs;
    if (decision === "probe") {
      const took = await this.#safely(
        () => this.#options.store.takeProbe(this.platform, now, nextProbeAt),
        true,
      );
      this.#remember({ ...state, nextProbeAt, updatedAt: now });
      if (took) return { done: (result) => this.#afterProbe(result) };
    }
    throw new CircuitOpenError(
      `${this.platform} ${operation}: not called, its circuit breaker is open (it stopped answering); next probe at ${new Date(this.#state.nextProbeAt ?? nextProbeAt).toISOString()}`,
      {
        platform: this.platform,
        operation,
        retryAt: this.#state.nextProbeAt ?? nextProbeAt,
      },
    );
  }

  async #afterCall({ status }: ExchangeResult): Promise<void> {
    const { store, settings } = this.#options;
    if (isOutageSign(status)) {
      const state = await this.#safely(
        () => store.addFailure(this.platform, this.#now()),
        undefined,
      );
      if (state === undefined) return;
      this.#remember(state);
      if (!shouldOpen(state, settings)) return;
      // Taken after the count's round trip: answers about the item are ordered by it.
      const open = opened(this.#now(), settings, state.failures);
      const nextProbeAt = open.nextProbeAt ?? this.#now();
      const ours = await this.#safely(
        () => store.open(this.platform, open.updatedAt ?? this.#now(), nextProbeAt),
        false,
      );
      if (!ours) {
        // Another caller opened it first: take its times.
        this.#remember(await this.#safely(() => store.read(this.platform), CLOSED_BREAKER));
        return;
      }
      this.#remember(open);
      this.#options.logger.warn(
        `Circuit breaker opened: ${this.platform} stopped answering; records that need it wait`,
        {
          platform: this.platform,
          failures: state.failures,
          nextProbeAt: new Date(nextProbeAt).toISOString(),
        },
      );
    } else if (status !== "aborted") {
      // Told to the item whatever this environment last read: failures counted elsewhere since
      // would otherwise outlive this answer and add up to an opening with no outage. The write
      // is conditional and changes nothing when no failure is counted.
      const now = this.#now();
      this.#remember({ ...this.#state, failures: 0, updatedAt: now });
      await this.#safely(() => store.clearFailures(this.platform, now), false);
    }
  }

  async #afterProbe({ status }: ExchangeResult): Promise<void> {
    if (status === "aborted" || isOutageSign(status)) return;
    const now = this.#now();
    const openedAt = this.#state.openedAt;
    const closed = await this.#safely(() => this.#options.store.close(this.platform, now), false);
    this.#remember({ ...CLOSED_BREAKER, closedAt: now, updatedAt: now });
    if (closed) {
      this.#options.logger.info(`Circuit breaker closed: ${this.platform} answers again`, {
        platform: this.platform,
        ...(openedAt === undefined ? {} : { openForMs: now - openedAt }),
      });
    }
  }

  async #current(): Promise<BreakerState> {
    if (this.#now() - this.#readAt < this.#cacheMs) return this.#state;
    const state = await this.#safely(() => this.#options.store.read(this.platform), CLOSED_BREAKER);
    this.#remember(state);
    return state;
  }

  /**
   * Answers about the item arrive out of order (a failure counted just before another caller
   * opened the breaker answers after it): an older one never replaces a newer one.
   */
  #remember(state: BreakerState): void {
    if ((state.updatedAt ?? 0) >= (this.#state.updatedAt ?? 0)) this.#state = state;
    this.#readAt = this.#now();
  }

  /** Rule 6: a store failure counts as closed (for a probe: as allowed). */
  async #safely<T>(action: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await action();
    } catch (error) {
      const now = this.#now();
      if (now - this.#warnedAt >= this.#options.settings.probeIntervalMs) {
        this.#warnedAt = now;
        this.#options.logger.warn(
          "The circuit breaker's state could not be read or written; calls go on as if closed",
          { platform: this.platform, error: describeError(error) },
        );
      }
      return fallback;
    }
  }
}
