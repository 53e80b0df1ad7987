/**
 * JSON that does not parse, located as the operator's editor shows it: line and column, and the
 * parser's reason (`is not JSON at line 4, column 41 (Expected double-quoted property name)`).
 */

/** On failure, `where` says where the JSON parser stopped: `is not JSON at line 4, column 3 (…)`. */
export function tryJson(text: string): { ok: true; value: unknown } | { ok: false; where: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, where: whereJsonBreaks(text, (error as Error).message) };
  }
}

/**
 * The parser's line and column, from its message (`… in JSON at position 27 (line 3 column
 * 16)`). For the errors it words without a position (`Unexpected token '}', …`), the position is
 * the shortest prefix the parser refuses for something other than ending early.
 */
function whereJsonBreaks(text: string, message: string): string {
  const reason = message.replace(/ in JSON at position.*$|, (\.\.\.)?".*$/s, "");
  const said = /\(line (\d+) column (\d+)\)/.exec(message);
  if (said) return `is not JSON at line ${said[1]}, column ${said[2]} (${reason})`;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (refusedBefore(text.slice(0, middle + 1))) high = middle;
    else low = middle + 1;
  }
  const before = text.slice(0, low).split("\n");
  const column = (before.at(-1)?.length ?? 0) + 1;
  return `is not JSON at line ${before.length}, column ${column} (${reason})`;
}

/** The prefix holds a mistake, not merely an unfinished value (which ends at its last character). */
function refusedBefore(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message)?.[1];
    if (position !== undefined) return Number(position) < prefix.length;
    return !/end of JSON input/.test(message);
  }
}
