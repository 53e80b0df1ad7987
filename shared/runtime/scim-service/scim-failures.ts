import { CredentialsNotConfiguredError } from "../errors/credentials-not-configured-error.ts";
import { EnqueueFailedError } from "../errors/enqueue-failed-error.ts";
import { LedgerUnavailableError } from "../errors/ledger-unavailable-error.ts";
import {
  AmbiguousUserError,
  CircuitOpenError,
  CredentialsRefusedError,
  RateLimitedError,
  UnauthorizedError,
  UnavailableError,
} from "../errors/platform-errors.ts";
import { OutsideTenantError, ProtectedAccountError } from "../errors/refusal-errors.ts";
import { ScimRequestError, type ScimType } from "../errors/scim-request-error.ts";

/** How a failure is answered: an RFC 7644 §3.12 error, and whether the client should retry. */
export interface ScimFailure {
  status: number;
  scimType?: ScimType | undefined;
  detail: string;
  /** `Retry-After`, seconds: Okta waits this long before retrying (without it, 5 minutes). */
  retryAfterSeconds?: number | undefined;
}

const RETRY_SOON_SECONDS = 30;

/**
 * Every failure a SCIM request can meet, and its answer: a table, not branches. Refusals say
 * why (403 for a protected account or a user outside the tenant, the error's own words); a
 * platform, the ledger or the queue that cannot answer now is 503 with `Retry-After`, which
 * both identity providers retry; a platform's 429 is passed on as 429. Anything else is 500
 * with no detail of its own (it is logged).
 */
const ANSWERS: ReadonlyArray<
  readonly [new (...args: never[]) => Error, (error: Error) => ScimFailure]
> = [
  [
    ScimRequestError,
    (error) => {
      const { status, scimType } = error as ScimRequestError;
      return { status, scimType, detail: error.message };
    },
  ],
  [ProtectedAccountError, (error) => refused(error)],
  [OutsideTenantError, (error) => refused(error)],
  [
    RateLimitedError,
    (error) => ({
      status: 429,
      detail: "A platform asks to slow down; try again later",
      retryAfterSeconds: secondsOf((error as RateLimitedError).retryAfterMs),
    }),
  ],
  [
    AmbiguousUserError,
    () => ({
      status: 409,
      scimType: "uniqueness",
      detail: "Several account platform users have that login or externalId",
    }),
  ],
  [UnavailableError, () => unavailable("A platform is not answering")],
  [CircuitOpenError, () => unavailable("A platform is not answering")],
  [UnauthorizedError, () => unavailable("A platform refused the product's credentials")],
  [CredentialsRefusedError, () => unavailable("A platform refused the product's credentials")],
  [CredentialsNotConfiguredError, () => unavailable("A platform's secret is not filled in")],
  [LedgerUnavailableError, () => unavailable("The ledger is not answering")],
  [EnqueueFailedError, () => unavailable("The queue did not take the change")],
];

export function scimFailureOf(error: unknown): ScimFailure {
  for (const [type, answer] of ANSWERS) {
    if (error instanceof type) return answer(error);
  }
  return { status: 500, detail: "The request failed; it is logged" };
}

function refused(error: Error): ScimFailure {
  return { status: 403, detail: `${error.message}: nothing was changed` };
}

function unavailable(detail: string): ScimFailure {
  return {
    status: 503,
    detail: `${detail}; try again`,
    retryAfterSeconds: RETRY_SOON_SECONDS,
  };
}

function secondsOf(ms: number | undefined): number {
  return ms === undefined ? RETRY_SOON_SECONDS : Math.max(1, Math.ceil(ms / 1000));
}
