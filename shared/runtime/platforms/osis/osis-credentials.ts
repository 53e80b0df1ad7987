/**
 * OSIS S3 credentials: the wire shape, which carries the secret key, and the view the rest of
 * the product gets, which does not. Only `OsisClient` ever holds an `OsisS3Credential`.
 */

/** As OSIS answers it (`secret_key` included): never logged, stored or returned past the client. */
export interface OsisS3Credential {
  access_key: string;
  secret_key: string;
  tenant_id: string;
  user_id: string;
  cd_user_id: string;
  cd_tenant_id: string;
  /** Absent means active, as for users. */
  active?: boolean;
  creation_date?: string;
  username?: string;
  [key: string]: unknown;
}

/** One S3 key as the product sees it: its access key id and whether it signs requests. */
export interface OsisKey {
  accessKey: string;
  active: boolean;
}

/** The user a key belongs to, as OSIS addresses it. */
export interface KeyOwner {
  tenantId: string;
  userId: string;
}

/** What the consumer needs of OSIS's S3 credential operations. */
export interface OsisCredentialPlatform {
  /**
   * GET {base}/tenants/{tenantId}/users/{userId}/s3credentials, every page. Only ever called
   * inside an offboard or rehire of that user: one backend creates a key when it lists none.
   */
  listKeys(tenantId: string, userId: string, signal?: AbortSignal): Promise<OsisKey[]>;
  /**
   * listCredentials (every page), then PATCH {base}/s3credentials/{accessKey}?tenant_id&user_id
   * for each change `changesFor` asks of the keys listed, each credential echoed from that list
   * (the secrets never leave the call). `UnsupportedError` on 501; `NotAppliedError` when an
   * answer does not show `active`. Returns the keys listed and the changes made.
   */
  setKeysActive(
    owner: KeyOwner,
    changesFor: (keys: readonly OsisKey[]) => Promise<readonly OsisKey[]>,
    signal?: AbortSignal,
  ): Promise<{ listed: OsisKey[]; written: OsisKey[] }>;
}
