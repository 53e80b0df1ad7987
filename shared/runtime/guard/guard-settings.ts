import type { GuardDirection } from "./guard-keys.ts";

/**
 * The mass-offboarding guard's settings. Windows are FIXED buckets: a window of 3600 s counts
 * offboards from 10:00:00 to 10:59:59, then starts again at 0. A wave that straddles a bucket
 * boundary can therefore apply up to twice the threshold before tripping; pick the threshold
 * with that in mind (README.md#safety-rails).
 */
export interface GuardSettings {
  /** Offboards applied per window before the guard trips; 0 disables the offboard count. */
  threshold: number;
  /** The window length in seconds; 0 disables the guard. */
  windowSeconds: number;
  /**
   * Onboards that would enable someone, per window, before the guard holds onboards too (a
   * mass re-enable); 0 disables the onboard count. Absent (settings recorded before it
   * existed): DEFAULT_ONBOARD_THRESHOLD.
   */
  onboardThreshold?: number | undefined;
}

export const DEFAULT_ONBOARD_THRESHOLD = 50;

export const DEFAULT_GUARD_SETTINGS: GuardSettings = {
  threshold: 50,
  windowSeconds: 3_600,
  onboardThreshold: DEFAULT_ONBOARD_THRESHOLD,
};

/** The threshold of one direction (guard-keys.ts): 0 means that direction is not counted. */
export function thresholdOf(settings: GuardSettings, direction: GuardDirection): number {
  return direction === "offboards"
    ? settings.threshold
    : (settings.onboardThreshold ?? DEFAULT_ONBOARD_THRESHOLD);
}

export function guardEnabled(settings: GuardSettings, direction?: GuardDirection): boolean {
  if (settings.windowSeconds <= 0) return false;
  if (direction !== undefined) return thresholdOf(settings, direction) > 0;
  return thresholdOf(settings, "offboards") > 0 || thresholdOf(settings, "onboards") > 0;
}

/** The start (epoch ms) of the fixed window holding `now`. */
export function bucketStartOf(now: number, windowSeconds: number): number {
  const windowMs = windowSeconds * 1000;
  return Math.floor(now / windowMs) * windowMs;
}
