import {
  LocalStackFileError,
  MissingSettingError,
  StackNotFoundError,
} from "../shared/operator/errors/settings-errors.ts";
import { EXIT } from "../shared/operator/terminal/exit-codes.ts";
import { ConfigurationError } from "../shared/runtime/errors/configuration-error.ts";
import { LedgerUnavailableError } from "../shared/runtime/errors/ledger-unavailable-error.ts";
import { describeError } from "../shared/runtime/logging/logger.ts";
import { CommandFailure, UsageError } from "./cli-errors.ts";

/** What the operator is told about a failure: one sentence, detail for --verbose. */
export interface FailureReport {
  message: string;
  /** Shown with --verbose only. */
  detail: string | undefined;
  exitCode: number;
  /** Not a failure we foresaw: --verbose shows the stack trace. */
  unexpected: boolean;
}

interface AwsLikeError {
  name?: string;
  message?: string;
  code?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  errors?: unknown[];
  cause?: unknown;
}

export function describeFailure(
  error: unknown,
  where: { sqsEndpoint?: string | undefined; dynamodbEndpoint?: string | undefined } = {},
): FailureReport {
  const expected = (message: string, detail?: string, exitCode: number = EXIT.failure) => ({
    message,
    detail,
    exitCode,
    unexpected: false,
  });
  if (error instanceof UsageError) return expected(error.message, error.detail, EXIT.usage);
  if (error instanceof CommandFailure) return expected(error.message, error.detail);
  if (error instanceof MissingSettingError) return expected(error.message, undefined, EXIT.usage);
  if (error instanceof ConfigurationError) {
    return expected(error.message.split("\n")[0] ?? error.message, error.problems.join("; "));
  }
  if (error instanceof StackNotFoundError || error instanceof LocalStackFileError) {
    return expected(error.message, causeText(error));
  }

  const aws = (typeof error === "object" && error !== null ? error : {}) as AwsLikeError;
  const name = aws.name ?? "";
  const text = aws.message ?? String(error);
  const detail = awsDetail(aws);
  const network = networkCode(error);
  if (network !== undefined) {
    const local = where.sqsEndpoint ?? where.dynamodbEndpoint;
    return expected(
      local
        ? `Could not connect to ${local} (${network}): is the local stack running (npm start)? A .lifecycle/local.json left by an earlier run points at ports nobody listens on.`
        : `Could not reach AWS (${network}): check the network and the region.`,
      detail,
    );
  }
  if (error instanceof LedgerUnavailableError) {
    return expected(
      `The ledger (DynamoDB) is throttled, failing or not answering (${error.code}): try again in a minute (README.md, "The ledger is throttled or down").`,
      detail,
    );
  }
  if (name === "TimeoutError" || /timed? ?out/i.test(text)) {
    return expected(`AWS did not answer in time: try again, or check the network.`, detail);
  }
  if (name === "CredentialsProviderError" || /could not load credentials/i.test(text)) {
    return expected(
      "No AWS credentials were found: set AWS_PROFILE (or run `aws configure`), or start the local stack (npm start).",
      detail,
    );
  }
  if (/QueueDoesNotExist|NonExistentQueue/.test(name) || /NonExistentQueue/.test(aws.Code ?? "")) {
    return expected(
      "The queue does not exist: check --stack, --queue-url / --dlq-url or QUEUE_URL / DLQ_URL.",
      detail,
    );
  }
  if (name === "ResourceNotFoundException") {
    return expected(
      "The ledger table does not exist: check --stack, --ledger-table or LEDGER_TABLE.",
      detail,
    );
  }
  if (/AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(name)) {
    return expected(
      "AWS refused the request: the credentials in use lack a permission this command needs.",
      detail,
    );
  }
  if (/ExpiredToken|InvalidClientTokenId|UnrecognizedClient|SignatureDoesNotMatch/.test(name)) {
    return expected(
      "AWS refused the credentials (expired or wrong): renew them (aws sso login, or new keys) and try again.",
      detail,
    );
  }
  if (aws.$metadata !== undefined) {
    return expected(`AWS answered with an error (${name}): ${firstSentence(text)}`, detail);
  }
  return {
    message: `Unexpected error: ${firstSentence(text)}`,
    detail,
    exitCode: EXIT.failure,
    unexpected: true,
  };
}

function networkCode(error: unknown, depth = 0): string | undefined {
  if (depth > 4 || typeof error !== "object" || error === null) return undefined;
  const candidate = error as AwsLikeError;
  if (
    typeof candidate.code === "string" &&
    /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)$/.test(candidate.code)
  ) {
    return candidate.code;
  }
  for (const inner of candidate.errors ?? []) {
    const found = networkCode(inner, depth + 1);
    if (found) return found;
  }
  return networkCode(candidate.cause, depth + 1);
}

function awsDetail(error: AwsLikeError): string | undefined {
  const fields = describeError(error);
  const parts = [`${fields.name ?? "Error"}: ${fields.message ?? ""}`];
  if (error.$metadata?.httpStatusCode) parts.push(`HTTP ${error.$metadata.httpStatusCode}`);
  if (error.$metadata?.requestId) parts.push(`request id ${error.$metadata.requestId}`);
  return parts.join("; ");
}

function causeText(error: Error): string | undefined {
  return error.cause === undefined ? undefined : String(describeError(error.cause).message);
}

function firstSentence(text: string): string {
  const line = text.split("\n")[0] ?? text;
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
