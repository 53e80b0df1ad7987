import { GUARD_TRIPPED_METRIC } from "../../contract/metrics.ts";
import { HeldByGuardError } from "../errors/held-by-guard-error.ts";
import type { LifecycleEvent } from "../events/lifecycle-event.ts";
import type { Logger } from "../logging/logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import { type GuardDirection, guardDirectionOf, guardSlotOf } from "./guard-keys.ts";
import { bucketStartOf, type GuardSettings, guardEnabled, thresholdOf } from "./guard-settings.ts";
import type { GuardState, GuardStore } from "./guard-store.ts";
import type { PlatformWriteGate, WriteGateContext } from "./write-gate.ts";

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
 * slot. An onboard that would enable someone is counted the same way, in a count and a trip of
 * its own (`onboardThreshold`): re-enabling leavers in bulk is as dangerous as disabling
 * everyone, and a mass re-enable must not stop offboards, nor a mass offboard onboards.
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
    const direction = guardDirectionOf(event);
    if (!guardEnabled(this.#settings, direction)) return;
    const threshold = thresholdOf(this.#settings, direction);
    const { windowSeconds } = this.#settings;
    const state = await this.#store.readState(context.signal, direction);
    if (state.tripped) {
      throw new HeldByGuardError(heldDetail(state, this.#settings, direction));
    }

    const now = this.#now();
    const bucketStart = bucketStartOf(now, windowSeconds);
    const reservation = await this.#store.reserve(
      { bucketStart, slot: guardSlotOf(event), threshold, windowSeconds, now, direction },
      context.signal,
    );
    if (reservation.reserved) return;

    const facts = { bucketStart, count: threshold, threshold, windowSeconds, now, direction };
    const trippedHere = await this.#store.trip(facts, context.signal);
    if (trippedHere) {
      this.#metrics.count(GUARD_TRIPPED_METRIC);
      this.#logger.error(
        `${GUARD_NAME[direction]} guard tripped: ${direction} are held in the DLQ (held_by_guard) until an operator runs \`lifecycle guard release\``,
        {
          direction,
          threshold,
          windowSeconds,
          windowStart: new Date(bucketStart).toISOString(),
          subject: context.subject,
          eventId: event.id,
        },
      );
    }
    throw new HeldByGuardError(
      heldDetail({ tripped: true, trippedAt: now, ...facts }, this.#settings, direction),
    );
  }

  /** What `beforeFirstWrite` would decide now, from reads only: no slot is taken, nothing trips. */
  async preview(event: LifecycleEvent, signal: AbortSignal): Promise<void> {
    const direction = guardDirectionOf(event);
    if (!guardEnabled(this.#settings, direction)) return;
    const threshold = thresholdOf(this.#settings, direction);
    const { windowSeconds } = this.#settings;
    const state = await this.#store.readState(signal, direction);
    if (state.tripped) throw new HeldByGuardError(heldDetail(state, this.#settings, direction));
    const bucketStart = bucketStartOf(this.#now(), windowSeconds);
    const bucket = await this.#store.readBucket(bucketStart, signal, direction);
    if (bucket.count >= threshold && !bucket.slots.has(guardSlotOf(event))) {
      throw new HeldByGuardError(
        `would trip the ${GUARD_NAME[direction].toLowerCase()} guard: ${bucket.count} ${direction} of ${threshold} already counted in this ${windowSeconds}s window`,
      );
    }
  }
}

const GUARD_NAME: Readonly<Record<GuardDirection, string>> = {
  offboards: "Mass-offboarding",
  onboards: "Mass-re-enable",
};

function heldDetail(state: GuardState, settings: GuardSettings, direction: GuardDirection): string {
  const at = state.trippedAt === undefined ? "" : ` at ${new Date(state.trippedAt).toISOString()}`;
  const threshold = state.threshold ?? thresholdOf(settings, direction);
  return `${GUARD_NAME[direction].toLowerCase()} guard tripped${at} (${threshold} ${direction} within ${state.windowSeconds ?? settings.windowSeconds}s): release it with \`lifecycle guard release\`, then redrive`;
}
