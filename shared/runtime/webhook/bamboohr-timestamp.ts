import { isRfc3339DateTime } from "../events/event-field-rules.ts";

/**
 * An instant as BambooHR writes one, as epoch milliseconds, or undefined. The signature header
 * carries Unix seconds in captured deliveries but its format is not documented, so an ISO 8601
 * instant is accepted too; the body's own `timestamp` is ISO 8601 with an offset written
 * without a colon (`2026-01-31T18:42:00+0000`).
 */
export function parseBambooHrInstant(text: string): number | undefined {
  if (/^\d{1,12}$/.test(text)) return Number(text) * 1000;
  const rfc3339 = toRfc3339(text.trim());
  return rfc3339 === undefined ? undefined : Date.parse(rfc3339);
}

/** `…+0000` / `…+00` / `…Z`, with or without seconds, as RFC 3339 (`…+00:00`). */
const ISO_8601_INSTANT =
  /^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?(?:([Zz])|([+-]\d{2}):?(\d{2})?)$/;

export function toRfc3339(text: string): string | undefined {
  const match = ISO_8601_INSTANT.exec(text);
  if (!match) return undefined;
  const [, minutes = "", seconds = ":00", zulu, offsetHours, offsetMinutes = "00"] = match;
  const offset = zulu !== undefined ? "Z" : `${offsetHours}:${offsetMinutes}`;
  const value = `${minutes.replace(" ", "T")}${seconds}${offset}`;
  return isRfc3339DateTime(value) ? value : undefined;
}
