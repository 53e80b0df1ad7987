/**
 * The queryUsers `filter`: `key==value` pairs joined by `;`, keys as in the reference
 * implementation. `active==true` also matches a user without `active` (absent means active).
 */
import type { OsisUser } from "../../../shared/runtime/platforms/osis/osis.ts";

export const FILTER_KEYS = [
  "tenant_id",
  "cd_tenant_id",
  "user_id",
  "cd_user_id",
  "canonical_user_id",
  "display_name",
  "active",
] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

export type FilterPair = { key: FilterKey; value: string };
export type ParsedFilter = { ok: true; pairs: FilterPair[] } | { ok: false; problem: string };

export function parseFilter(filter: string | null): ParsedFilter {
  if (filter === null || filter.trim() === "") return { ok: true, pairs: [] };
  const pairs: FilterPair[] = [];
  for (const part of filter.split(";")) {
    if (part === "") continue;
    const at = part.indexOf("==");
    if (at <= 0)
      return { ok: false, problem: `invalid filter term "${part}": expected key==value` };
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 2);
    if (!(FILTER_KEYS as readonly string[]).includes(key)) {
      return { ok: false, problem: `invalid filter key "${key}"` };
    }
    if (key === "active" && value !== "true" && value !== "false") {
      return { ok: false, problem: 'active must be "true" or "false"' };
    }
    pairs.push({ key: key as FilterKey, value });
  }
  return { ok: true, pairs };
}

export function matchesFilter(user: OsisUser, pairs: readonly FilterPair[]): boolean {
  return pairs.every(({ key, value }) => {
    switch (key) {
      case "active":
        return String(user.active !== false) === value;
      case "display_name":
        // The reference implementation's display name is the platform username.
        return user.username === value;
      default:
        return user[key] === value;
    }
  });
}
