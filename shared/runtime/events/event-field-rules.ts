/**
 * The rules of an event's fields that other modules apply alone (the CLI's options, the
 * dead-letter router, the SCIM endpoint, BambooHR's timestamps), as plain functions: the
 * schema (lifecycle-event-schema.ts) applies them too, and these load no zod.
 */

export const SUBJECT_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/;

/**
 * A platform id becomes a URL path segment (OSIS `tenants/{tenantId}/users/{userId}`) or a
 * lookup value. URL resolution drops `.` and `..` segments, even percent-encoded, so `..` would
 * turn the user route into the tenant's own route; `/` and `\` add segments, `%` smuggles
 * encoded ones, `?` and `#` end the path. Refused here, at every producer and the consumer; the
 * platform clients check the final path again before sending (shared/runtime/http/platform-http.ts).
 */
export function isSafePlatformId(value: string): boolean {
  return value !== "." && value !== ".." && !/[/\\%?#\p{Cc}]/u.test(value) && value.isWellFormed();
}

const RFC3339_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

/**
 * `Date.parse` alone accepts 2026-02-30 (it rolls over), so each field is range-checked too.
 * Leap seconds (:60) are refused: JavaScript dates cannot represent them.
 */
export function isRfc3339DateTime(value: string): boolean {
  const match = RFC3339_DATE_TIME.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as number[];
  const daysInMonth = new Date(Date.UTC(year ?? 0, month ?? 0, 0)).getUTCDate();
  return (
    month !== undefined &&
    month >= 1 &&
    month <= 12 &&
    day !== undefined &&
    day >= 1 &&
    day <= daysInMonth &&
    (hour ?? 99) <= 23 &&
    (minute ?? 99) <= 59 &&
    (second ?? 99) <= 59 &&
    Number(match[9] ?? 0) <= 23 &&
    Number(match[10] ?? 0) <= 59 &&
    Number.isFinite(Date.parse(value))
  );
}
