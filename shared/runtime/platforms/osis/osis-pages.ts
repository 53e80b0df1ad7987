import { RejectedError, UnavailableError } from "../../errors/platform-errors.ts";
import type { PlatformAnswer } from "../../http/platform-http.ts";

/** How an OSIS list is read: `limit` per page, and at most this many pages. */
export interface OsisPaging {
  pageSize: number;
  maxPages: number;
}

/**
 * Every item of an OSIS `PageOf…` list (`{"items", "page_info": {"limit", "offset", "total"}}`),
 * page after page until `total` is reached (or, without a total, a short page). More than
 * `maxPages` pages is refused (`too_many_results`): the list is not what the caller expects.
 */
export async function readEveryPage(
  operation: string,
  paging: OsisPaging,
  readPage: (page: { offset: number; limit: number }) => Promise<PlatformAnswer>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let offset = 0;
  for (let page = 0; page < paging.maxPages; page += 1) {
    const answer = await readPage({ offset, limit: paging.pageSize });
    const body = isRecord(answer.body) ? answer.body : undefined;
    const pageItems = body?.items;
    if (!Array.isArray(pageItems)) {
      throw new UnavailableError(`osis ${operation}: the answer has no items list`, {
        platform: "osis",
        operation,
        status: answer.status,
      });
    }
    items.push(...pageItems.filter(isRecord));
    offset += pageItems.length;
    const total = isRecord(body?.page_info) ? body.page_info.total : undefined;
    const more =
      typeof total === "number"
        ? offset < total && pageItems.length > 0
        : pageItems.length >= paging.pageSize;
    if (!more) return items;
  }
  throw new RejectedError(`osis ${operation}: more than ${paging.maxPages} pages of results`, {
    platform: "osis",
    operation,
    code: "too_many_results",
  });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
