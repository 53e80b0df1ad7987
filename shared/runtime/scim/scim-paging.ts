import { ScimRequestError } from "../errors/scim-request-error.ts";
import { memberOf } from "./case-insensitive-member.ts";
import { LIST_RESPONSE_SCHEMA } from "./scim-media.ts";

/** The most resources one page holds, and a page's size when the client names none. */
export const MAX_PAGE_SIZE = 100;

export interface Paging {
  /** 1-based index of the first resource of the page. */
  startIndex: number;
  /** Resources wanted on the page; 0 asks for `totalResults` only. */
  count: number;
}

/**
 * `startIndex` and `count` of a query (RFC 7644 §3.4.2.4), names in any case:
 * 1. `startIndex` below 1 is 1; absent (or empty), 1.
 * 2. `count` below 0 is 0; above MAX_PAGE_SIZE, MAX_PAGE_SIZE; absent (or empty), MAX_PAGE_SIZE.
 * 3. A value that is not an integer is 400 `invalidValue`.
 */
export function readPaging(query: Readonly<Record<string, string | undefined>>): Paging {
  const startIndex = integerOf(query, "startIndex") ?? 1;
  const count = integerOf(query, "count") ?? MAX_PAGE_SIZE;
  return {
    startIndex: Math.max(1, startIndex),
    count: Math.min(MAX_PAGE_SIZE, Math.max(0, count)),
  };
}

function integerOf(
  query: Readonly<Record<string, string | undefined>>,
  name: string,
): number | undefined {
  const raw = memberOf(query, name)?.trim();
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!/^[+-]?\d+$/.test(raw) || !Number.isSafeInteger(value)) {
    throw new ScimRequestError(400, "invalidValue", `${name} must be an integer, not "${raw}"`);
  }
  return value;
}

export interface ListResponse {
  schemas: [typeof LIST_RESPONSE_SCHEMA];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: object[];
}

/** A ListResponse (RFC 7644 §3.4.2) of one page: `itemsPerPage` is the page's own size. */
export function listResponse(
  resources: object[],
  totalResults: number,
  startIndex: number,
): ListResponse {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
