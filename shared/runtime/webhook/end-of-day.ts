/**
 * The instant a calendar day ends in an IANA time zone (the next day's first instant), as
 * epoch ms. BambooHR gives a termination date as a bare `YYYY-MM-DD`; "access ends with the
 * last day" means at that day's end where the company is, not at midnight UTC.
 */
export function endOfDayMs(day: string, timeZone: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  const [year, month, date] = match.slice(1).map(Number) as [number, number, number];
  const wallClock = Date.UTC(year, month - 1, date + 1);
  if (Number.isNaN(wallClock)) return undefined;
  // The zone's offset is read at the guess and again at the result: once is wrong across a
  // daylight-saving change that falls near midnight.
  const first = wallClock - offsetMs(wallClock, timeZone);
  return wallClock - offsetMs(first, timeZone);
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
function offsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(instant);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    part("year"),
    part("month") - 1,
    part("day"),
    part("hour"),
    part("minute"),
    part("second"),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}
