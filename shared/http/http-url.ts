import { ConfigurationError } from "../errors/configuration-error.ts";

/**
 * An absolute http(s) URL without user info, query or fragment; ConfigurationError otherwise.
 * The value itself is never echoed: a URL may carry user info.
 */
export function parseHttpUrl(raw: string, variable: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigurationError("A platform URL is not usable", [
      `${variable} is not an absolute URL`,
    ]);
  }
  const problems: string[] = [];
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    problems.push(`${variable} must be an http(s) URL`);
  }
  if (url.username !== "" || url.password !== "") {
    problems.push(`${variable} must not carry credentials (they belong in the secret)`);
  }
  if (url.search !== "" || url.hash !== "") {
    problems.push(`${variable} must not have a query or fragment`);
  }
  if (problems.length > 0) throw new ConfigurationError("A platform URL is not usable", problems);
  return url;
}

/** The URL's path without trailing slashes, "" for the root. */
export function trimmedPath(url: URL): string {
  return url.pathname.replace(/\/+$/, "");
}
