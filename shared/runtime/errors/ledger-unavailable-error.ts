/**
 * The ledger (DynamoDB) did not answer usefully: it throttled, failed (5xx), or could not be
 * reached in time, after the AWS SDK's own bounded retries. Not about the request: the same
 * request may succeed once the ledger is back. The consumer waits for it, as for a platform
 * outage (`ledger_unavailable` after the outage patience).
 */
export class LedgerUnavailableError extends Error {
  override readonly name = "LedgerUnavailableError";
  /** The DynamoDB operation (`GetItem`, `UpdateItem`, …). */
  readonly operation: string;
  /** DynamoDB's error name (`ThrottlingException`, `TimeoutError`, …). */
  readonly code: string;
  /** The HTTP status of the last answer; undefined when none came. */
  readonly status: number | undefined;

  constructor(options: {
    operation: string;
    code: string;
    status: number | undefined;
    cause: unknown;
  }) {
    super(
      `the ledger is unavailable: ${options.operation} failed with ${options.code}${
        options.status === undefined ? " (no answer)" : ` (HTTP ${options.status})`
      }`,
      { cause: options.cause },
    );
    this.operation = options.operation;
    this.code = options.code;
    this.status = options.status;
  }
}
