import type { PlatformWriteGate, WriteGateContext } from "../consumer/targets/write-gate.ts";
import type { LifecycleEvent } from "../events/lifecycle-event.ts";
import type { Logger } from "../logging/logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import { guardSlotOf } from "./guard-keys.ts";
import { bucketStartOf, type GuardSettings } from "./guard-settings.ts";
import type { GuardState, GuardStore } from "./guard-store.ts";
import { HeldByGuardError } from "./held-by-guard-error.ts";

/** The metric the stack alarms on: one per trip, whichever invocation tripped it. */
export const GUARD_TRIPPED_METRIC = "GuardTripped";

export interface OffboardingGuardOptions {
  store: GuardStore;
  settings: GuardSettings;
  logger: Logger;
  metrics: Metrics;
  now?: (() => number) | undefined;
}

/**
 * The mass-offboarding guard, as the consumer's write gate. It runs once per event attempt,
 * after the reads and only when a write will follow, so an offboard that changes nothing (the
 * user already disabled) never takes a slot. For an offboard:
 *   guard tripped → held; else reserve a slot in this window → go on; window full → trip → held.
 * A slot is taken BEFORE any platform is touched, and stays taken whatever the writes then do
 * (a write that fails for good still used its slot: the guard counts offboards attempted with
 * a change to make, which errs on the side of stopping). A retry of the same event reuses its
 * slot. Onboards pass untouched, tripped or not.
 */
export class OffboardingGuard implements PlatformWriteGate {
  readonly #store: GuardStore;
  readonly #settings: GuardSettings;
  readonly #logger: Logger;
  readonly #metrics: Metrics;
  readonly #now: () => number;

  constructor(options: OffboardingGuardOptions) {
    this.#store = options.store;
    this.#settings = options.settings;
    this.#logger = options.logger;
    this.#metrics = options.metrics;
    this.#now = options.now ?? Date.now;
  }

  async beforeFirstWrite(event: LifecycleEvent, context: WriteGateContext): Promise<void> {
    if (event.type !== "user.offboarded") return;
    const { threshold, windowSeconds } = this.#settings;
    const state = await this.#store.readState(context.signal);
    if (state.tripped) throw new HeldByGuardError(heldDetail(state, this.#settings));

    const now = this.#now();
    const bucketStart = bucketStartOf(now, windowSeconds);
    const reservation = await this.#store.reserve(
      { bucketStart, slot: guardSlotOf(event), threshold, windowSeconds, now },
      context.signal,
    );
    if (reservation.reserved) return;

    const facts = { bucketStart, count: threshold, threshold, windowSeconds, now };
    const trippedHere = await this.#store.trip(facts, context.signal);
    if (trippedHere) {
      this.#metrics.count(GUARD_TRIPPED_METRIC);
      this.#logger.error(
        "Mass-offboarding guard tripped: offboards are held in the DLQ (held_by_guard) until an operator runs `lifecycle guard release`",
        {
          threshold,
          windowSeconds,
          windowStart: new Date(bucketStart).toISOString(),
          subject: context.subject,
          eventId: event.id,
        },
      );
    }
    throw new HeldByGuardError(
      heldDetail({ tripped: true, trippedAt: now, ...facts }, this.#settings),
    );
  }

  /** What `beforeFirstWrite` would decide now, from reads only: no slot is taken, nothing trips. */
  async preview(event: LifecycleEvent, signal: AbortSignal): Promise<void> {
    if (event.type !== "user.offboarded") return;
    const { threshold, windowSeconds } = this.#settings;
    const state = await this.#store.readState(signal);
    if (state.tripped) throw new HeldByGuardError(heldDetail(state, this.#settings));
    const bucket = await this.#store.readBucket(bucketStartOf(this.#now(), windowSeconds), signal);
    if (bucket.count >= threshold && !bucket.slots.has(guardSlotOf(event))) {
      throw new HeldByGuardError(
        `would trip the mass-offboarding guard: ${bucket.count} offboards of ${threshold} already counted in this ${windowSeconds}s window`,
      );
    }
  }
}

function heldDetail(state: GuardState, settings: GuardSettings): string {
  const at = state.trippedAt === undefined ? "" : ` at ${new Date(state.trippedAt).toISOString()}`;
  return `mass-offboarding guard tripped${at} (${state.threshold ?? settings.threshold} offboards within ${state.windowSeconds ?? settings.windowSeconds}s): release it with \`lifecycle guard release\`, then redrive`;
}
