import { timingSafeEqual } from "node:crypto";

/**
 * Whether any offered signature equals any expected one. Every pair is compared, matched or
 * not, and each comparison is constant-time, so the timing says nothing about how close an
 * offered signature came or which key matched. Lengths are not secret (every HMAC-SHA256 is 32
 * bytes), so an entry of another length is skipped.
 */
export function anyMatches(offered: readonly Buffer[], expected: readonly Buffer[]): boolean {
  return matchesOf(offered, expected).some(Boolean);
}

/** For each expected signature, whether some offered one equals it (every pair compared). */
export function matchesOf(offered: readonly Buffer[], expected: readonly Buffer[]): boolean[] {
  const matched = expected.map(() => false);
  for (const candidate of offered) {
    expected.forEach((wanted, index) => {
      if (candidate.length === wanted.length && timingSafeEqual(candidate, wanted)) {
        matched[index] = true;
      }
    });
  }
  return matched;
}
