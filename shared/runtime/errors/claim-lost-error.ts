/** The claim passed to someone else (it expired and was taken over): stop writing. */
export class ClaimLostError extends Error {
  override readonly name = "ClaimLostError";
  readonly subject: string;
  constructor(subject: string) {
    super(`The ledger claim on ${subject} is no longer ours (it expired and was taken over)`);
    this.subject = subject;
  }
}
