/** The platform's answers over the recent past, as the pace's rules read them. */
export interface RecentAnswers {
  /**
   * Answers other than 429, a second: since the oldest 429 of the share window when that span
   * is long enough to measure (while a platform refuses some requests and accepts others, what
   * it accepts is its limit), else over the last `RATE_MS` (a burst allowance spent after a lull
   * would read as more than the limit over a single second).
   */
  answeredPerSecond: number;
  /**
   * Of the answers of the share window (the last second, or the last 200), the 429s; undefined
   * while fewer than 200 answers were watched: one sporadic 429 among 20 is already 5%, and a
   * caller with few answers a second (slow answers, a starved CPU) would take it for a limit.
   */
  refusedShare: number | undefined;
  /** 429s among the last `CLUMP` answers: a rate limit refuses in clumps, sporadic 429s seldom. */
  refusedInClump: number;
}

const SHARE_MS = 1_000;
const SHARE_ANSWERS = 200;
const RATE_MS = 10_000;
const MEASURABLE_MS = 250;
const CLUMP = 10;

/**
 * The answers of the last ten seconds; times are ms, in order. Nothing until a whole second has
 * been watched: a fresh execution environment's first burst would read as a rate the platform
 * never sustains.
 */
export class AnswerWindow {
  /** Oldest first, from `#head` on: old entries are skipped, then compacted away in bulk. */
  readonly #answers: { at: number; refused: boolean }[] = [];
  #head = 0;
  #firstAt: number | undefined;

  record(now: number, refused: boolean): void {
    this.#answers.push({ at: now, refused });
    this.#firstAt ??= now;
    this.#forget(now);
  }

  recent(now: number): RecentAnswers | undefined {
    this.#forget(now);
    if (this.#firstAt === undefined || now - this.#firstAt < SHARE_MS) return undefined;
    const last = this.#answers.length - 1;
    const nthLatest = this.#answers[last + 1 - SHARE_ANSWERS];
    const shareFrom = Math.min(now - SHARE_MS, nthLatest?.at ?? Number.NEGATIVE_INFINITY);
    let answered = 0;
    let counted = 0;
    let refused = 0;
    let refusedInClump = 0;
    let answeredSinceRefused = 0;
    let refusedSince: number | undefined;
    for (let index = last; index >= this.#head; index -= 1) {
      const answer = this.#answers[index];
      if (answer === undefined) break;
      if (!answer.refused) answered += 1;
      if (answer.at <= shareFrom) continue;
      counted += 1;
      if (!answer.refused) continue;
      refused += 1;
      if (last - index < CLUMP) refusedInClump += 1;
      refusedSince = answer.at;
      answeredSinceRefused = answered;
    }
    const sinceRefusedMs = refusedSince === undefined ? 0 : now - refusedSince;
    const rateMs = Math.min(RATE_MS, now - this.#firstAt);
    return {
      answeredPerSecond:
        sinceRefusedMs >= MEASURABLE_MS
          ? (answeredSinceRefused * 1000) / sinceRefusedMs
          : (answered * 1000) / rateMs,
      refusedShare: counted < SHARE_ANSWERS ? undefined : refused / counted,
      refusedInClump,
    };
  }

  #forget(now: number): void {
    const end = this.#answers.length;
    while (this.#head < end && (this.#answers[this.#head]?.at ?? now) <= now - RATE_MS) {
      this.#head += 1;
    }
    if (this.#head > 1_000 && this.#head * 2 > end) {
      this.#answers.splice(0, this.#head);
      this.#head = 0;
    }
  }
}
