/**
 * OSIS's S3 credential calls, made for `OsisClient`. The secret key is the reason this file
 * exists apart: an answer is turned into access key ids and active flags here, and the call
 * that must send credentials back (updateCredentialStatus echoes the whole OsisS3Credential)
 * takes them from the list it has just read, sends each with its secret marked sensitive, and
 * keeps nothing.
 */
import { NotAppliedError, PlatformError } from "../../errors/platform-errors.ts";
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
 * One list of the user's credentials, `changesFor` told the keys it shows, then
 * updateCredentialStatus for each change it asks, with the credential as the list shows it and
 * `active` set: the secrets live in this call only. Returns the keys listed and the changes made.
 * 200 with a credential that does not show `active` → NotAppliedError; 501 → UnsupportedError
 * (from the HTTP layer). Every error of a write names its access key, never the secret.
 */
export async function setKeysActive(
  call: OsisCall,
  paging: OsisPaging,
  owner: KeyOwner,
  changesFor: (keys: readonly OsisKey[]) => Promise<readonly OsisKey[]>,
  signal?: AbortSignal,
): Promise<{ listed: OsisKey[]; written: OsisKey[] }> {
  const credentials = await listCredentials(call, paging, owner, signal);
  const listed = credentials.map(keyOf);
  const written: OsisKey[] = [];
  for (const change of await changesFor(listed)) {
    const current = credentials.find((credential) => credential.access_key === change.accessKey);
    if (current === undefined) continue;
    try {
      await updateStatus(call, owner, current, change.active, signal);
    } catch (error) {
      if (error instanceof PlatformError) {
        error.message = `${error.message} (access key ${change.accessKey})`;
      }
      throw error;
    }
    written.push(change);
  }
  return { listed, written };
}

async function updateStatus(
  call: OsisCall,
  owner: KeyOwner,
  current: OsisS3Credential,
  active: boolean,
  signal?: AbortSignal,
): Promise<void> {
  const answer = await call(
    {
      operation: "updateCredentialStatus",
      kind: "write",
      method: "PATCH",
      path: ["s3credentials", current.access_key],
      searchParams: { tenant_id: owner.tenantId, user_id: owner.userId },
      json: { ...current, active },
      signal,
    },
    [current.secret_key],
  );
  // A 200 without a body is taken as the state asked for; the caller's list confirms it.
  const shown = isRecord(answer.body) ? keyOf(answer.body as OsisS3Credential) : undefined;
  if (shown !== undefined && shown.active !== active) {
    throw new NotAppliedError(
      `osis updateCredentialStatus: answered ${answer.status} but the key is still ${active ? "inactive" : "active"} (not_applied)`,
      { platform: PLATFORM, operation: "updateCredentialStatus", status: answer.status },
    );
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
