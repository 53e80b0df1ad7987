import { parseHttpUrl, trimmedPath } from "./http-url.ts";

export const DEFAULT_OSIS_BASE_PATH = "/api/v1";

/**
 * `OSIS_URL` + `OSIS_BASE_PATH` as one base URL ending in "/". The base path is "/api/v1" in
 * the current spec and "/osis/api/v1" in the older revision; a URL that already ends with the
 * base path is not given it twice.
 */
export function osisBaseUrl(rawUrl: string, rawBasePath = DEFAULT_OSIS_BASE_PATH): string {
  const url = parseHttpUrl(rawUrl, "OSIS_URL");
  const basePath = normalizeBasePath(rawBasePath);
  let path = trimmedPath(url);
  if (basePath !== "" && path.toLowerCase().endsWith(basePath.toLowerCase())) {
    path = path.slice(0, path.length - basePath.length);
  }
  return `${url.origin}${path}${basePath}/`;
}

function normalizeBasePath(raw: string): string {
  const trimmed = raw.trim().replace(/^\/+|\/+$/g, "");
  return trimmed === "" ? "" : `/${trimmed}`;
}
