import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type * as z from "zod";
import type { Environment } from "../config/consumer-config.ts";
import type { LocalStackFile } from "../config/local-stack-file.ts";
import type { CredentialSource } from "../credentials/credential-source.ts";
import {
  type AccountPlatformCredentials,
  accountPlatformCredentialsSchema,
  type OsisCredentials,
  osisCredentialsSchema,
} from "../credentials/secret-shapes.ts";
import { SecretsManagerCredentialSource } from "../credentials/secrets-manager-credential-source.ts";
import { StaticCredentialSource } from "../credentials/static-credential-source.ts";
import { ConfigurationError } from "../errors/configuration-error.ts";
import { DEFAULT_OSIS_BASE_PATH } from "../platforms/osis/osis-base-url.ts";

/** The stack outputs naming the two platform secrets (design brief). */
export const PLATFORM_SECRET_OUTPUTS = {
  accountPlatform: "AccountPlatformSecretArn",
  osis: "OsisSecretArn",
} as const;

export interface PlatformAccess {
  accountPlatform: {
    url: string;
    credentials: CredentialSource<AccountPlatformCredentials>;
    /** Where the URL and the credentials came from (said on stderr; never the values). */
    origin: string;
  };
  osis: {
    url: string;
    basePath: string;
    credentials: CredentialSource<OsisCredentials>;
    origin: string;
  };
}

export interface PlatformAccessInputs {
  env: Environment;
  /** The running local stack's file, when the command acts on it. */
  local: LocalStackFile | undefined;
  /** The deployed stack's outputs, with `--stack`. */
  stackOutputs: Record<string, string> | undefined;
  secretsManager: () => SecretsManagerClient;
}

/**
 * How the CLI reaches the platforms to read users' state, first found wins:
 * URL: ACCOUNT_PLATFORM_URL / OSIS_URL (+ OSIS_BASE_PATH), else the local stack file.
 * Credentials: static ones in the environment (ACCOUNT_PLATFORM_CLIENT_ID + _CLIENT_SECRET;
 * OSIS_TOKEN, or OSIS_USERNAME + OSIS_PASSWORD), else a secret named by ACCOUNT_PLATFORM_SECRET_ID
 * / OSIS_SECRET_ID, else the local stack's simulated credentials, else the secrets named by the
 * stack outputs. A deployed stack does not publish the platform URLs: give them in the
 * environment.
 */
export function resolvePlatformAccess(inputs: PlatformAccessInputs): PlatformAccess {
  const { env, local, stackOutputs } = inputs;
  const problems: string[] = [];
  const given = (name: string): string | undefined => env[name]?.trim() || undefined;

  const accountUrl = given("ACCOUNT_PLATFORM_URL") ?? local?.accountPlatform.url;
  if (accountUrl === undefined) {
    problems.push("the account platform's URL: set ACCOUNT_PLATFORM_URL");
  }
  let accountCredentials: CredentialSource<AccountPlatformCredentials> | undefined;
  let accountOrigin = "";
  const clientId = given("ACCOUNT_PLATFORM_CLIENT_ID");
  const clientSecret = given("ACCOUNT_PLATFORM_CLIENT_SECRET");
  const accountSecretId =
    given("ACCOUNT_PLATFORM_SECRET_ID") ?? stackOutputs?.[PLATFORM_SECRET_OUTPUTS.accountPlatform];
  if (clientId !== undefined && clientSecret !== undefined) {
    accountCredentials = new StaticCredentialSource({ clientId, clientSecret });
    accountOrigin = "ACCOUNT_PLATFORM_CLIENT_ID/_CLIENT_SECRET";
  } else if (given("ACCOUNT_PLATFORM_SECRET_ID") === undefined && local?.accountPlatform.clientId) {
    accountCredentials = new StaticCredentialSource({
      clientId: local.accountPlatform.clientId,
      clientSecret: local.accountPlatform.clientSecret ?? "",
    });
    accountOrigin = "the local stack's simulator credentials";
  } else if (accountSecretId !== undefined) {
    accountCredentials = secretSource(
      inputs.secretsManager,
      accountSecretId,
      accountPlatformCredentialsSchema,
    );
    accountOrigin = `secret ${accountSecretId}`;
  } else {
    problems.push(
      "the account platform's credentials: set ACCOUNT_PLATFORM_SECRET_ID (or ACCOUNT_PLATFORM_CLIENT_ID and ACCOUNT_PLATFORM_CLIENT_SECRET)",
    );
  }

  const osisUrl = given("OSIS_URL") ?? local?.osis.url;
  if (osisUrl === undefined) problems.push("the OSIS URL: set OSIS_URL");
  const basePath = given("OSIS_BASE_PATH") ?? local?.osis.basePath ?? DEFAULT_OSIS_BASE_PATH;
  let osisCredentials: CredentialSource<OsisCredentials> | undefined;
  let osisOrigin = "";
  const token = given("OSIS_TOKEN");
  const username = given("OSIS_USERNAME");
  const password = given("OSIS_PASSWORD");
  const osisSecretId = given("OSIS_SECRET_ID") ?? stackOutputs?.[PLATFORM_SECRET_OUTPUTS.osis];
  if (token !== undefined) {
    osisCredentials = new StaticCredentialSource<OsisCredentials>({ token });
    osisOrigin = "OSIS_TOKEN";
  } else if (username !== undefined && password !== undefined) {
    osisCredentials = new StaticCredentialSource<OsisCredentials>({ username, password });
    osisOrigin = "OSIS_USERNAME/OSIS_PASSWORD";
  } else if (given("OSIS_SECRET_ID") === undefined && local?.osis.username) {
    osisCredentials = new StaticCredentialSource<OsisCredentials>({
      username: local.osis.username,
      password: local.osis.password ?? "",
    });
    osisOrigin = "the local stack's simulator credentials";
  } else if (osisSecretId !== undefined) {
    osisCredentials = secretSource(inputs.secretsManager, osisSecretId, osisCredentialsSchema);
    osisOrigin = `secret ${osisSecretId}`;
  } else {
    problems.push(
      "the OSIS credentials: set OSIS_SECRET_ID (or OSIS_TOKEN, or OSIS_USERNAME and OSIS_PASSWORD)",
    );
  }

  if (
    problems.length > 0 ||
    accountUrl === undefined ||
    osisUrl === undefined ||
    accountCredentials === undefined ||
    osisCredentials === undefined
  ) {
    throw new ConfigurationError("Reconciliation cannot reach the platforms", problems);
  }
  return {
    accountPlatform: {
      url: accountUrl,
      credentials: accountCredentials,
      origin: `${accountUrl} with ${accountOrigin}`,
    },
    osis: {
      url: osisUrl,
      basePath,
      credentials: osisCredentials,
      origin: `${osisUrl} with ${osisOrigin}`,
    },
  };
}

function secretSource<T>(
  client: () => SecretsManagerClient,
  secretId: string,
  schema: z.ZodType<T>,
): CredentialSource<T> {
  let source: SecretsManagerCredentialSource<T> | undefined;
  // The client is made on first use, so a run that never reads a secret needs no AWS access.
  const made = () => {
    source ??= new SecretsManagerCredentialSource<T>({ client: client(), secretId, schema });
    return source;
  };
  return { get: () => made().get(), refresh: () => made().refresh() };
}
