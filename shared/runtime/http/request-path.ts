/**
 * A request path is built from segments, each percent-encoded, and the URL actually requested
 * must have exactly that path. Encoding alone is not enough: URL resolution drops `.` and `..`
 * segments (also written `%2e`), so a user id `..` turns `tenants/T/users/..` into the
 * tenant's own route, and an empty id turns the user route into the list route.
 */

/**
 * The segments as a relative path; `undefined` when a segment is empty (it would address the
 * collection instead of one of its items) or cannot be encoded (a lone surrogate).
 */
export function encodePathSegments(segments: readonly string[]): string | undefined {
  if (segments.includes("")) return undefined;
  try {
    return segments.map(encodeURIComponent).join("/");
  } catch {
    return undefined;
  }
}

/**
 * The path a request for `relative` must arrive at: the base URL's path joined with it as the
 * HTTP layer joins them (one slash between), before any resolution.
 */
export function expectedPathname(baseUrl: string, relative: string): string {
  return `${new URL(baseUrl).pathname.replace(/\/+$/, "")}/${relative}`;
}

/** True when the URL about to be requested has exactly the expected path. */
export function requestsExactly(input: Request | URL | string, pathname: string): boolean {
  const url = input instanceof Request ? input.url : String(input);
  return URL.parse(url)?.pathname === pathname;
}
