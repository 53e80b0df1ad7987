/** The platform's answers over the recent past, as the pace's rules read them. */
export interface RecentAnswers {
  /** Answers other than 429, a second. */
  answeredPerSecond: number;
  /** Of all answers, the share that were 429. */
  refusedShare: number;
  /** The time they were counted over. */
  windowMs: number;
}

/**
 * The answers of the last second, or of the last `enough` answers when a second holds fewer (a
 * slow rate read from a handful of answers is mostly noise), at most `longestMs`. Times are ms,
 * in order. Nothing until a whole window has been watched: a fresh execution environment's
 * first burst would read as a rate the platform never sustains.
 */
export class AnswerWindow {
  /** Oldest first, from `#head` on: old entries are skipped, then compacted away in bulk. */
  readonly #answers: { at: number; refused: boolean }[] = [];
  #head = 0;
  readonly #enough: number;
  readonly #shortestMs: number;
  readonly #longestMs: number;
  #firstAt: number | undefined;

  constructor(options: { enough?: number; shortestMs?: number; longestMs?: number } = {}) {
    this.#enough = options.enough ?? 200;
    this.#shortestMs = options.shortestMs ?? 1_000;
    this.#longestMs = options.longestMs ?? 10_000;
  }

  record(now: number, refused: boolean): void {
    this.#answers.push({ at: now, refused });
    this.#firstAt ??= now;
    this.#forget(now);
  }

  recent(now: number): RecentAnswers | undefined {
    this.#forget(now);
    const kept = this.#answers.length - this.#head;
    const nthLatest =
      kept >= this.#enough ? this.#answers[this.#answers.length - this.#enough] : undefined;
    const windowMs = Math.min(
      this.#longestMs,
      Math.max(this.#shortestMs, nthLatest === undefined ? this.#longestMs : now - nthLatest.at),
    );
    if (this.#firstAt === undefined || now - this.#firstAt < windowMs) return undefined;
    let answered = 0;
    let refused = 0;
    for (let index = this.#answers.length - 1; index >= this.#head; index -= 1) {
      const answer = this.#answers[index];
      if (answer === undefined || answer.at <= now - windowMs) break;
      if (answer.refused) refused += 1;
      else answered += 1;
    }
    return {
      answeredPerSecond: (answered * 1000) / windowMs,
      refusedShare: refused / Math.max(1, answered + refused),
      windowMs,
    };
  }

  /** Keeps the last `shortestMs`, and older answers only while fewer than `enough` are newer. */
  #forget(now: number): void {
    const end = this.#answers.length;
    while (this.#head < end) {
      const at = this.#answers[this.#head]?.at ?? now;
      const expired = at <= now - this.#longestMs;
      const spare = at <= now - this.#shortestMs && end - this.#head > this.#enough;
      if (!expired && !spare) break;
      this.#head += 1;
    }
    if (this.#head > 1_000 && this.#head * 2 > end) {
      this.#answers.splice(0, this.#head);
      this.#head = 0;
    }
  }
}
