/**
 * This machine's clock differs from AWS's by more than an operator command allows: a ledger
 * claim it took would expire at the wrong time for the consumer (too early, and two writers
 * could hold one person; too late, and the person's events wait).
 */
export class ClockSkewError extends Error {
  override readonly name = "ClockSkewError";
  /** AWS's time minus this machine's, in ms. */
  readonly skewMs: number;

  constructor(skewMs: number, maxMs: number) {
    super(
      `This machine's clock is ${Math.round(Math.abs(skewMs) / 1000)} s ${skewMs > 0 ? "behind" : "ahead of"} AWS's (by the Date of its last answer); more than ${maxMs / 1000} s, so no ledger claim is taken. Set the clock right (NTP) and run the command again.`,
    );
    this.skewMs = skewMs;
  }
}
