/** Work given a deadline did not finish within it (`what` says which work). */
export class DeadlineExceededError extends Error {
  override readonly name = "DeadlineExceededError";
  readonly deadlineMs: number;

  constructor(what: string, deadlineMs: number) {
    super(`${what} did not finish within ${deadlineMs} ms`);
    this.deadlineMs = deadlineMs;
  }
}
