import { LedgerUnavailableError } from "../errors/ledger-unavailable-error.ts";

/**
 * DynamoDB's answers that say "not now" rather than "not this request": throttling of any
 * kind, any 5xx, and no answer at all (a refused or dropped connection, a request timeout).
 * Anything else (a failed condition, a validation error, a missing table, denied access) is
 * about the request or the configuration and is left as it is.
 */
const THROTTLING_CODES: ReadonlySet<string> = new Set([
  "ThrottlingException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
]);

interface AwsErrorShape {
  name?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** The error as LedgerUnavailableError when it is one of the answers above, else as it is. */
export function toLedgerError(error: unknown, operation: string): unknown {
  if (!(error instanceof Error)) return error;
  const shape = error as AwsErrorShape;
  const status =
    typeof shape.$metadata?.httpStatusCode === "number"
      ? shape.$metadata.httpStatusCode
      : undefined;
  const code = error.name;
  const unavailable = THROTTLING_CODES.has(code) || status === undefined || status >= 500;
  return unavailable
    ? new LedgerUnavailableError({ operation, code, status, cause: error })
    : error;
}

/** Runs one DynamoDB call; an unavailable ledger is thrown as LedgerUnavailableError. */
export async function ledgerCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toLedgerError(error, operation);
  }
}
