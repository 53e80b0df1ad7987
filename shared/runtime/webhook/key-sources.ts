import type { SigningKeys } from "../credentials/secret-shapes.ts";
import type { LifecycleEvent } from "../events/lifecycle-event.ts";
import type { ValidationProblem } from "../events/validation.ts";

/**
 * Which sources a request may send, given the keys that signed it: any, when one of them is
 * not limited; else those its keys are limited to (a key may be listed with its sources in
 * the Standard Webhooks secret, so a leaked Workday key cannot speak for another producer).
 */
export function sourcesAllowed(
  secret: SigningKeys,
  signers: readonly string[],
): ReadonlySet<string> | "any" {
  const allowed = new Set<string>();
  for (const key of signers) {
    const sources = secret.sourcesOf?.get(key);
    if (sources === undefined) return "any";
    for (const source of sources) allowed.add(source);
  }
  return allowed;
}

/**
 * The sources of `events` the signing key may not send, and a problem per such event, at
 * `$.source` (or `$[i].source` in a batch).
 */
export function sourcesRefused(
  events: readonly Pick<LifecycleEvent, "source">[],
  allowed: ReadonlySet<string> | "any",
  batch: boolean,
): { sources: string[]; problems: ValidationProblem[] } {
  if (allowed === "any") return { sources: [], problems: [] };
  const refused = events
    .map((event, index) => ({ source: event.source, index }))
    .filter(({ source }) => !allowed.has(source));
  const may = [...allowed].map((source) => `"${source}"`).join(", ");
  return {
    sources: [...new Set(refused.map(({ source }) => source))],
    problems: refused.map(({ source, index }) => ({
      path: batch ? `$[${index}].source` : "$.source",
      message: `"${source}" is not a source its signing key may send (it may send ${may})`,
    })),
  };
}
