/** Whether the runtime knows the zone (an unknown one would throw at the first event). */
export function isTimeZone(timeZone: string): boolean {
  // UTC, the default, is known to every runtime. Asking Intl.DateTimeFormat loads the runtime's
  // calendar data the first time, about 13 ms of a cold start, so only another zone is asked.
  if (timeZone === "UTC") return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}
