import { ConfigurationError } from "../errors/configuration-error.ts";

/**
 * What keeps `raw` from being an absolute http(s) URL without user info, query or fragment,
 * each problem said without the setting's name. The value itself is never echoed: a URL may
 * carry user info.
 */
export function httpUrlProblems(raw: string): string[] {
  if (!URL.canParse(raw.trim())) return ["is not an absolute URL"];
  const url = new URL(raw.trim());
  const problems: string[] = [];
  if (url.protocol !== "https:" && url.protocol !== "http:")
    problems.push("must be an http(s) URL");
  if (url.username !== "" || url.password !== "") {
    problems.push("must not carry credentials (they belong in the secret)");
  }
  if (url.search !== "" || url.hash !== "") problems.push("must not have a query or fragment");
  return problems;
}

/** The URL, or a ConfigurationError naming `variable` with each of `httpUrlProblems`. */
export function parseHttpUrl(raw: string, variable: string): URL {
  const problems = httpUrlProblems(raw);
  if (problems.length > 0) {
    throw new ConfigurationError(
      "A platform URL is not usable",
      problems.map((problem) => `${variable} ${problem}`),
    );
  }
  return new URL(raw.trim());
}

/** The URL's path without trailing slashes, "" for the root. */
export function trimmedPath(url: URL): string {
  return url.pathname.replace(/\/+$/, "");
}
