import { ScimRequestError } from "../errors/scim-request-error.ts";
import { attributeName } from "./user-attributes.ts";

/**
 * The filters `GET /Users` serves (RFC 7644 §3.4.2.2), as a conjunction: every attribute given
 * must match. `userName` is lower case here: it is compared case-insensitively (RFC 7643
 * `caseExact: false`), so the caller compares it with the lower-cased login. `externalId` and
 * `id` are compared exactly. `matchesNone`: one attribute asked for two different values, which
 * no user has; the caller answers an empty ListResponse without reading anything.
 */
export interface UserFilter {
  userName?: string;
  externalId?: string;
  id?: string;
  matchesNone?: true;
}

type FilterAttribute = "userName" | "externalId" | "id";

/** Attribute names are case-insensitive (RFC 7643 §2.1), and may carry the schema's URN. */
const ATTRIBUTES: ReadonlyMap<string, FilterAttribute> = new Map([
  ["username", "userName"],
  ["externalid", "externalId"],
  ["id", "id"],
]);
const UNSUPPORTED_OPERATORS = new Set(["ne", "co", "sw", "ew", "gt", "lt", "ge", "le", "pr"]);
const SERVED = 'userName, externalId or id with eq and a quoted value, joined by "and"';

type Token = { kind: "word" | "string"; text: string } | { kind: "symbol"; text: string };

/**
 * The filter of a `GET /Users` query value (already URL-decoded), or undefined without one.
 * Served (which is what Okta and Microsoft Entra send): `<attribute> eq "<value>"` for
 * userName, externalId and id, and `and` of those. Anything else is refused with 400
 * `invalidFilter` naming what is not served. The grammar is small enough to parse by hand, and
 * so each refusal says exactly which part is not served.
 *
 * Between tokens a `+` counts as a space: Entra writes `userName+eq+"x"`, and some frameworks
 * leave a `+` as it is when they decode a query. Inside quotes a `+` is the character itself
 * (a login such as `a+b@example.com`, sent as `%2B`).
 */
export function parseUserFilter(raw: string | undefined): UserFilter | undefined {
  if (raw === undefined) return undefined;
  const tokens = tokenize(raw);
  if (tokens.length === 0) throw refuse("the filter is empty");
  const filter: UserFilter = {};
  let at = 0;
  for (;;) {
    const [attribute, value] = readComparison(tokens.slice(at, at + 3));
    at += 3;
    add(filter, attribute, value);
    const joiner = tokens[at];
    if (joiner === undefined) return filter;
    if (joiner.kind === "symbol") throw unservedSymbol(joiner.text);
    if (joiner.text.toLowerCase() !== "and") {
      throw refuse(`"${joiner.text}" is not served; only "and" joins comparisons (${SERVED})`);
    }
    at += 1;
  }
}

/**
 * Whether a user satisfies every comparison of the filter: the caller finds candidates by one
 * attribute (a login or external-id lookup) and keeps those that satisfy the rest.
 */
export function satisfiesUserFilter(
  filter: UserFilter,
  user: { id: string; userName: string; externalId?: string | undefined },
): boolean {
  if (filter.matchesNone) return false;
  return (
    (filter.userName === undefined || filter.userName === user.userName.toLowerCase()) &&
    (filter.externalId === undefined || filter.externalId === user.externalId) &&
    (filter.id === undefined || filter.id === user.id)
  );
}

/** Rule: an attribute given twice must have the same value both times, else nothing matches. */
function add(filter: UserFilter, attribute: FilterAttribute, value: string): void {
  const wanted = attribute === "userName" ? value.toLowerCase() : value;
  const given = filter[attribute];
  if (given !== undefined && given !== wanted) filter.matchesNone = true;
  filter[attribute] = wanted;
}

function readComparison(tokens: readonly Token[]): [FilterAttribute, string] {
  const [name, operator, value] = tokens;
  if (name?.kind === "word" && name.text.toLowerCase() === "not") {
    throw refuse(`"not" is not served; only ${SERVED}`);
  }
  for (const token of tokens) if (token.kind === "symbol") throw unservedSymbol(token.text);
  if (name?.kind !== "word") throw refuse(`expected an attribute, found ${describe(name)}`);
  const attribute = ATTRIBUTES.get(attributeName(name.text));
  if (attribute === undefined) {
    throw refuse(`filtering on "${name.text}" is not served; only ${SERVED}`);
  }
  if (operator?.kind !== "word") {
    throw refuse(`expected an operator after ${name.text}, found ${describe(operator)}`);
  }
  const op = operator.text.toLowerCase();
  if (op !== "eq") {
    const what = UNSUPPORTED_OPERATORS.has(op) ? "the operator" : "";
    throw refuse(`${what} "${operator.text}" is not served; only ${SERVED}`.trim());
  }
  if (value?.kind !== "string") {
    throw refuse(`${name.text} eq needs a quoted string value, found ${describe(value)}`);
  }
  return [attribute, value.text];
}

const SPACE = /[\s+]/;
const WORD = /[A-Za-z0-9_.:$-]/;
const SYMBOLS = new Set(["(", ")", "[", "]"]);

function tokenize(raw: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < raw.length) {
    const char = raw.charAt(at);
    if (SPACE.test(char)) {
      at += 1;
    } else if (char === '"') {
      const end = closingQuote(raw, at);
      tokens.push({ kind: "string", text: unquote(raw.slice(at, end + 1)) });
      at = end + 1;
    } else if (WORD.test(char)) {
      const start = at;
      while (at < raw.length && WORD.test(raw.charAt(at))) at += 1;
      tokens.push({ kind: "word", text: raw.slice(start, at) });
    } else if (SYMBOLS.has(char)) {
      tokens.push({ kind: "symbol", text: char });
      at += 1;
    } else {
      throw refuse(`"${char}" is not part of a filter`);
    }
  }
  return tokens;
}

/** The index of the quote that closes the string opening at `start`; `\"` does not close it. */
function closingQuote(raw: string, start: number): number {
  for (let at = start + 1; at < raw.length; at += 1) {
    const char = raw.charAt(at);
    if (char === "\\") at += 1;
    else if (char === '"') return at;
  }
  throw refuse("a quoted value is not closed");
}

/** A quoted value's escapes are JSON's (RFC 7644 §3.4.2.2 values are JSON values). */
function unquote(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    throw refuse(`the value ${quoted} has an invalid escape`);
  }
}

function unservedSymbol(symbol: string): ScimRequestError {
  return refuse(`"${symbol}" is not served (no grouping or value paths); only ${SERVED}`);
}

function describe(token: Token | undefined): string {
  if (token === undefined) return "the end of the filter";
  return token.kind === "string" ? `the value "${token.text}"` : `"${token.text}"`;
}

function refuse(detail: string): ScimRequestError {
  return new ScimRequestError(400, "invalidFilter", `Unsupported filter: ${detail}`);
}
