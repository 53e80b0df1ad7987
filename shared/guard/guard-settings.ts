/**
 * The mass-offboarding guard's settings. Windows are FIXED buckets: a window of 3600 s counts
 * offboards from 10:00:00 to 10:59:59, then starts again at 0. A wave that straddles a bucket
 * boundary can therefore apply up to twice the threshold before tripping; pick the threshold
 * with that in mind (README.md#safety-rails).
 */
export interface GuardSettings {
  /** Offboards applied per window before the guard trips; 0 disables the guard. */
  threshold: number;
  /** The window length in seconds; 0 disables the guard. */
  windowSeconds: number;
}

export const DEFAULT_GUARD_SETTINGS: GuardSettings = { threshold: 50, windowSeconds: 3_600 };

export function guardEnabled(settings: GuardSettings): boolean {
  return settings.threshold > 0 && settings.windowSeconds > 0;
}

/** The start (epoch ms) of the fixed window holding `now`. */
export function bucketStartOf(now: number, windowSeconds: number): number {
  const windowMs = windowSeconds * 1000;
  return Math.floor(now / windowMs) * windowMs;
}
