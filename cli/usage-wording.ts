/**
 * What commander says about a command line it refuses, said as the operator's fix: the flag
 * first, then what it needs (`--since must be a time like … (got "yesterday")`). Every command
 * and subcommand shares this (cli/program.ts routes commander's errors here), so a new flag's
 * parser only says what a good value is (`must be …`), never the flag or the value.
 *
 * Commander's own wording is matched below, one row per kind of refusal; a line no row
 * matches is kept as commander wrote it, minus its `error: ` prefix.
 */

interface Rewrite {
  pattern: RegExp;
  sentence: (match: RegExpExecArray) => string;
}

const REWRITES: readonly Rewrite[] = [
  {
    // option '--since <time>' argument 'yesterday' is invalid. must be …
    pattern: /^option '(?<flags>[^']*)' argument '(?<value>.*)' is invalid\. (?<why>.*)$/s,
    sentence: (m) => withValue(flagOf(group(m, "flags")), group(m, "why"), group(m, "value")),
  },
  {
    // command-argument value 'a b' is invalid for argument 'subject'. must be …
    pattern:
      /^command-argument value '(?<value>.*)' is invalid for argument '(?<name>[^']*)'\. (?<why>.*)$/s,
    sentence: (m) => withValue(`<${group(m, "name")}>`, group(m, "why"), group(m, "value")),
  },
  {
    pattern: /^missing required argument '(?<name>[^']*)'$/,
    sentence: (m) => `<${group(m, "name")}> is required`,
  },
  {
    // option '--subject <subject>' argument missing
    pattern: /^option '(?<flags>[^']*)' argument missing$/,
    sentence: (m) => `${flagOf(group(m, "flags"))} needs a value (${group(m, "flags")})`,
  },
  {
    pattern: /^required option '(?<flags>[^']*)' not specified$/,
    sentence: (m) => `${flagOf(group(m, "flags"))} is required`,
  },
  {
    // unknown option '--limt'\n(Did you mean --limit?)
    pattern: /^unknown option '(?<flag>[^']*)'(?:\s*\(Did you mean (?<hint>[^?]*)\?\))?$/s,
    sentence: (m) => `${group(m, "flag")} is not an option here${didYouMean(m)}`,
  },
  {
    // too many arguments for 'status'. Expected 1 argument but got 2: a, b.
    pattern:
      /^too many arguments(?: for '(?<name>[^']*)')?\. Expected (?<expected>.*) but got \d+: (?<got>.*?)\.?$/s,
    sentence: (m) =>
      `${group(m, "name") || "lifecycle"} takes ${group(m, "expected")} (got ${group(m, "got")})`,
  },
  {
    pattern: /^unknown command '(?<name>[^']*)'(?:\s*\(Did you mean (?<hint>[^?]*)\?\))?$/s,
    sentence: (m) => `"${group(m, "name")}" is not a command${didYouMean(m)}`,
  },
];

/** One sentence for what commander printed (its `error: ` line, any hint after it). */
export function usageSentence(commanderText: string): string {
  const text = commanderText.trim().replace(/^error: /, "");
  for (const { pattern, sentence } of REWRITES) {
    const match = pattern.exec(text);
    if (match) return `${sentence(match)}.`;
  }
  return text.replace(/\s*\n\s*/g, " ");
}

/** `--since <time>` or `-s, --since <time>` → `--since`. */
function flagOf(flags: string): string {
  return /--[\w-]+/.exec(flags)?.[0] ?? flags;
}

/** `must be a number above 0.` with 'fast' → `must be a number above 0 (got "fast")`. */
function withValue(subject: string, why: string, value: string): string {
  const reason = why.trim().replace(/\.$/, "");
  return reason.includes("(got ")
    ? `${subject} ${reason}`
    : `${subject} ${reason} (got ${JSON.stringify(value)})`;
}

function didYouMean(match: RegExpExecArray): string {
  const hint = match.groups?.hint;
  return hint ? `; the nearest is ${hint}` : "";
}

function group(match: RegExpExecArray, name: string): string {
  return match.groups?.[name] ?? "";
}
