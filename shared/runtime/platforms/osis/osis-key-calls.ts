/**
 * OSIS's S3 credential calls, made for `OsisClient`. The secret key is the reason this file
 * exists apart: an answer is turned into access key ids and active flags here, and the one call
 * that must send a credential back (updateCredentialStatus echoes the whole OsisS3Credential)
 * reads it from a fresh list, sends it with the secret marked sensitive, and keeps nothing.
 */
import { NotAppliedError, NotFoundError, PlatformError } from "../../errors/platform-errors.ts";
import type { PlatformAnswer, PlatformRequest } from "../../http/platform-http.ts";
import type { KeyOwner, OsisKey, OsisS3Credential } from "./osis-credentials.ts";
import { isRecord, type OsisPaging, readEveryPage } from "./osis-pages.ts";

const PLATFORM = "osis";

/** One authorized call; `secrets` are scrubbed from anything that goes into an error. */
export type OsisCall = (
  request: Omit<PlatformRequest, "authorization" | "sensitive">,
  secrets?: readonly string[],
) => Promise<PlatformAnswer>;

/** listCredentials, every page, as keys: no secret leaves this function. */
export async function listKeys(
  call: OsisCall,
  paging: OsisPaging,
  owner: KeyOwner,
  signal?: AbortSignal,
): Promise<OsisKey[]> {
  return (await listCredentials(call, paging, owner, signal)).map(keyOf);
}

/**
 * updateCredentialStatus with the credential as the list shows it and `active` set. 200 with a
 * credential that does not show `active` → NotAppliedError; 501 → UnsupportedError (from the
 * HTTP layer). Every error names the access key, never the secret.
 */
export async function setKeyActive(
  call: OsisCall,
  paging: OsisPaging,
  owner: KeyOwner,
  change: OsisKey,
  signal?: AbortSignal,
): Promise<OsisKey> {
  const { accessKey, active } = change;
  try {
    const credentials = await listCredentials(call, paging, owner, signal);
    const current = credentials.find((credential) => credential.access_key === accessKey);
    if (current === undefined) {
      throw new NotFoundError("osis listCredentials: the user holds no such key", {
        platform: PLATFORM,
        operation: "listCredentials",
      });
    }
    const answer = await call(
      {
        operation: "updateCredentialStatus",
        kind: "write",
        method: "PATCH",
        path: ["s3credentials", accessKey],
        searchParams: { tenant_id: owner.tenantId, user_id: owner.userId },
        json: { ...current, active },
        signal,
      },
      [current.secret_key],
    );
    // A 200 without a body is read as the state asked for, as OSIS users' answers are not.
    const shown = isRecord(answer.body) ? keyOf(answer.body as OsisS3Credential) : undefined;
    if (shown !== undefined && shown.active !== active) {
      throw new NotAppliedError(
        `osis updateCredentialStatus: answered ${answer.status} but the key is still ${active ? "inactive" : "active"} (not_applied)`,
        { platform: PLATFORM, operation: "updateCredentialStatus", status: answer.status },
      );
    }
    return { accessKey, active };
  } catch (error) {
    if (error instanceof PlatformError)
      error.message = `${error.message} (access key ${accessKey})`;
    throw error;
  }
}

async function listCredentials(
  call: OsisCall,
  paging: OsisPaging,
  { tenantId, userId }: KeyOwner,
  signal?: AbortSignal,
): Promise<OsisS3Credential[]> {
  const items = await readEveryPage("listCredentials", paging, ({ offset, limit }) =>
    call({
      operation: "listCredentials",
      kind: "read",
      method: "GET",
      path: ["tenants", tenantId, "users", userId, "s3credentials"],
      searchParams: { offset: String(offset), limit: String(limit) },
      signal,
    }),
  );
  return items.filter(isCredential);
}

/** The product's view of a key: OSIS "active" semantics, a missing `active` is active. */
function keyOf(credential: OsisS3Credential): OsisKey {
  return { accessKey: credential.access_key, active: credential.active !== false };
}

function isCredential(value: Record<string, unknown>): value is OsisS3Credential {
  return typeof value.access_key === "string" && value.access_key !== "";
}
