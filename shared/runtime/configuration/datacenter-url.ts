import { parseHttpUrl, trimmedPath } from "./http-url.ts";

/**
 * The datacenter URL without a trailing `/api/2` or slashes: the vendor's examples call
 * `{dc}/api/2` the base URL, so either form may be configured.
 */
export function normalizeDatacenterUrl(raw: string, variable = "ACCOUNT_PLATFORM_URL"): string {
  const url = parseHttpUrl(raw, variable);
  const path = trimmedPath(url)
    .replace(/\/api\/2$/i, "")
    .replace(/\/+$/, "");
  return `${url.origin}${path}`;
}
