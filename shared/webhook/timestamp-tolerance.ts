/**
 * Both signature schemes sign a Unix timestamp (seconds). Five minutes either way: older is a
 * replay, newer is a clock the sender must fix.
 */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

/** A timestamp header is whole Unix seconds, digits only: no sign, fraction or exponent. */
const UNIX_SECONDS = /^\d{1,12}$/;

export function isWithinTolerance(timestamp: string, nowSeconds: number): boolean {
  if (!UNIX_SECONDS.test(timestamp)) return false;
  return Math.abs(nowSeconds - Number(timestamp)) <= TIMESTAMP_TOLERANCE_SECONDS;
}
