/**
 * The command was used wrongly (a bad flag value, invalid input, no confirmation): nothing was
 * attempted. Exit 2. The message is one sentence saying what to do.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly detail: string | undefined;
  constructor(message: string, detail?: string) {
    super(message);
    this.detail = detail;
  }
}

/**
 * An expected failure, already said in words for the operator (what failed, what to do).
 * Exit 1; `detail` is shown with --verbose.
 */
export class CommandFailure extends Error {
  override readonly name = "CommandFailure";
  readonly detail: string | undefined;
  constructor(message: string, options?: { detail?: string | undefined; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.detail = options?.detail;
  }
}
