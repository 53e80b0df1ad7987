/**
 * The moments an invocation's work is cut, counted back from its end by the deadline margin
 * (`CONSUMER_DEADLINE_MARGIN_MS`; records start only with more than the margin left). Each
 * step leaves time for the next, so a batch always answers before Lambda's own timeout,
 * whatever a platform or the ledger does.
 */
export interface InvocationDeadlines {
  /** Platform calls are abandoned (half the margin left): time to record the failure. */
  platformCalls: AbortSignal;
  /** Records still running are reported unfinished (a quarter left): time to report the batch. */
  records: AbortSignal;
  /** The batch's own calls (visibility, metrics) are abandoned (an eighth left): time to return. */
  report: AbortSignal;
}

export function invocationDeadlines(remainingMs: number, marginMs: number): InvocationDeadlines {
  const before = (left: number) => AbortSignal.timeout(Math.max(1, remainingMs - left));
  return {
    platformCalls: before(marginMs / 2),
    records: before(marginMs / 4),
    report: before(marginMs / 8),
  };
}

/** `work`'s value, or `cutOff` as soon as the signal aborts; `work` is no longer waited for. */
export function unlessCutOff<T, C>(
  work: Promise<T>,
  signal: AbortSignal,
  cutOff: C,
): Promise<T | C> {
  if (signal.aborted) return Promise.resolve(cutOff);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(cutOff);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
