/** SQS refused some entries (or a whole call); the caller answers 503 and the sender retries. */
export class EnqueueFailedError extends Error {
  override readonly name = "EnqueueFailedError";
  readonly failed: number;
  /** SQS's error codes for the refused entries (never their bodies). */
  readonly codes: readonly string[];
  constructor(failed: number, codes: readonly string[], cause?: unknown) {
    super(
      `the queue refused ${failed} event(s)${codes.length > 0 ? ` (${codes.join(", ")})` : ""}`,
      cause === undefined ? undefined : { cause },
    );
    this.failed = failed;
    this.codes = codes;
  }
}
