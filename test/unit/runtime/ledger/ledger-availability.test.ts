import { describe, expect, it } from "vitest";
import { LedgerUnavailableError } from "../../../../shared/runtime/errors/ledger-unavailable-error.ts";
import { toLedgerError } from "../../../../shared/runtime/ledger/ledger-availability.ts";

function awsError(name: string, status: number | undefined): Error {
  return Object.assign(new Error(name), {
    name,
    $metadata: status === undefined ? { attempts: 3 } : { httpStatusCode: status },
  });
}

describe("which DynamoDB failures mean the ledger is unavailable", () => {
  it.each([
    ["ThrottlingException", 400],
    ["ProvisionedThroughputExceededException", 400],
    ["RequestLimitExceeded", 400],
    ["InternalServerError", 500],
    ["ServiceUnavailableException", 503],
    ["TimeoutError", undefined],
  ] as const)("%s (HTTP %s): unavailable", (name, status) => {
    const error = toLedgerError(awsError(name, status), "PutItem");
    expect(error).toBeInstanceOf(LedgerUnavailableError);
    expect(error).toMatchObject({ operation: "PutItem", code: name, status });
  });

  it.each([
    ["ConditionalCheckFailedException", 400],
    ["ValidationException", 400],
    ["ResourceNotFoundException", 400],
    ["AccessDeniedException", 400],
  ] as const)("%s (HTTP %s): about the request, left as it is", (name, status) => {
    const original = awsError(name, status);
    expect(toLedgerError(original, "PutItem")).toBe(original);
  });
});
