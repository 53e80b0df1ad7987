/**
 * Both signature schemes sign a timestamp. Five minutes either way: older is a replay, newer is
 * a clock the sender must fix.
 */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

/** A timestamp header is whole Unix seconds, digits only: no sign, fraction or exponent. */
const UNIX_SECONDS = /^\d{1,12}$/;

export function isWithinTolerance(timestamp: string, nowSeconds: number): boolean {
  if (!UNIX_SECONDS.test(timestamp)) return false;
  return isFresh(Number(timestamp) * 1000, nowSeconds);
}

/** An instant (epoch ms) within the tolerance of now (epoch seconds). */
export function isFresh(instantMs: number, nowSeconds: number): boolean {
  return Math.abs(nowSeconds * 1000 - instantMs) <= TIMESTAMP_TOLERANCE_SECONDS * 1000;
}
