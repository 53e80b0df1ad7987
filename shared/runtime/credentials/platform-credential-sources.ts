import { createSecretsManagerClient } from "../aws/aws-clients.ts";
import { ConfigurationError } from "../errors/configuration-error.ts";
import type { CredentialSource } from "./credential-source.ts";
import {
  type AccountPlatformCredentials,
  accountPlatformCredentialsShape,
  type OsisCredentials,
  osisCredentialsShape,
} from "./secret-shapes.ts";
import { SecretsManagerCredentialSource } from "./secrets-manager-credential-source.ts";

export interface PlatformCredentialSources {
  accountPlatform: CredentialSource<AccountPlatformCredentials>;
  osis: CredentialSource<OsisCredentials>;
}

/**
 * The deployed functions' platform credentials: both secrets in Secrets Manager. The secret ids
 * are optional in the configuration (the local stack has none), so a deployed function that
 * lacks one fails its cold start here, naming it.
 */
export function platformSecretsFromSecretsManager(
  secretIds: { accountPlatform: string | undefined; osis: string | undefined },
  functionName: string,
): PlatformCredentialSources {
  const { accountPlatform, osis } = secretIds;
  if (accountPlatform === undefined || osis === undefined) {
    throw new ConfigurationError(`The deployed ${functionName} needs the platform secrets`, [
      ...(accountPlatform === undefined ? ["ACCOUNT_PLATFORM_SECRET_ID is required"] : []),
      ...(osis === undefined ? ["OSIS_SECRET_ID is required"] : []),
    ]);
  }
  const client = createSecretsManagerClient();
  return {
    accountPlatform: new SecretsManagerCredentialSource({
      client,
      secretId: accountPlatform,
      shape: accountPlatformCredentialsShape,
    }),
    osis: new SecretsManagerCredentialSource({
      client,
      secretId: osis,
      shape: osisCredentialsShape,
    }),
  };
}
