/**
 * `Retry-After` (RFC 9110 §10.2.3) is either a number of seconds or an HTTP date. Returns the
 * wait in milliseconds, or undefined when the header is absent or unreadable (a malformed
 * header loses its timing; it does not make the answer something else).
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only date-like text goes to Date.parse: it would read "1.5" or "-3" as a year.
  if (!/^[A-Za-z]{3,9},? /.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** An answer's `Retry-After` as a wait in milliseconds (see `parseRetryAfter`). */
export function retryAfterOf(response: Response): number | undefined {
  return parseRetryAfter(response.headers.get("retry-after"));
}
