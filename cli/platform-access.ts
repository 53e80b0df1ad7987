import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { STACK_OUTPUTS } from "../shared/contract/stack-outputs.ts";
import {
  givenPlatformFields,
  staticPlatformCredentials,
} from "../shared/operator/configuration/given-platforms.ts";
import type { LifecycleSettings } from "../shared/operator/configuration/lifecycle-settings.ts";
import type { LocalStackFile } from "../shared/operator/configuration/local-stack-file.ts";
import { DEFAULT_PLATFORM_TIMEOUT_MS } from "../shared/runtime/configuration/platform-timeout.ts";
import { readSettings } from "../shared/runtime/configuration/read-settings.ts";
import { type Environment, optionalText } from "../shared/runtime/configuration/setting-fields.ts";
import type { CredentialSource } from "../shared/runtime/credentials/credential-source.ts";
import {
  type AccountPlatformCredentials,
  accountPlatformCredentialsShape,
  type OsisCredentials,
  osisCredentialsShape,
} from "../shared/runtime/credentials/secret-shapes.ts";
import { SecretsManagerCredentialSource } from "../shared/runtime/credentials/secrets-manager-credential-source.ts";
import type { SecretShape } from "../shared/runtime/credentials/shape-checks.ts";
import { StaticCredentialSource } from "../shared/runtime/credentials/static-credential-source.ts";
import { ConfigurationError } from "../shared/runtime/errors/configuration-error.ts";
import {
  createPlatformClients,
  type PlatformClients,
} from "../shared/runtime/platforms/platform-clients.ts";
import { UsageError } from "./cli-errors.ts";
import type { CommandContext } from "./command-context.ts";

interface Access<T> {
  credentials: CredentialSource<T>;
  /** Where the URL and the credentials came from (said on stderr; never the values). */
  origin: string;
}

export interface PlatformAccess {
  /** `tenantId`: ACCOUNT_PLATFORM_TENANT_ID, else the local stack's (a plan resolves users in it). */
  accountPlatform: Access<AccountPlatformCredentials> & { url: string; tenantId?: string };
  /** `cdTenantId`: OSIS_CD_TENANT_ID, else the local stack's. */
  osis: Access<OsisCredentials> & { url: string; basePath: string; cdTenantId?: string };
}

export interface PlatformAccessInputs {
  env: Environment;
  /** The running local stack's file, when the command acts on it. */
  local: LocalStackFile | undefined;
  /** The deployed stack's outputs, with `--stack`. */
  stackOutputs: Record<string, string> | undefined;
  secretsManager: () => SecretsManagerClient;
}

const platformVariables = {
  ...givenPlatformFields,
  ACCOUNT_PLATFORM_SECRET_ID: optionalText,
  OSIS_SECRET_ID: optionalText,
  ACCOUNT_PLATFORM_TENANT_ID: optionalText,
  OSIS_CD_TENANT_ID: optionalText,
};

/**
 * How the CLI reaches the platforms to read users' state, first found wins:
 * URL: ACCOUNT_PLATFORM_URL / OSIS_URL (+ OSIS_BASE_PATH), else the local stack file, else the
 * stack outputs AccountPlatformUrl / OsisUrl (which holds the base path).
 * Credentials: static ones in the environment (ACCOUNT_PLATFORM_CLIENT_ID + _CLIENT_SECRET;
 * OSIS_TOKEN, or OSIS_USERNAME + OSIS_PASSWORD), else a secret named by ACCOUNT_PLATFORM_SECRET_ID
 * / OSIS_SECRET_ID, else the local stack's simulated credentials, else the secrets named by the
 * stack outputs.
 */
export function resolvePlatformAccess(inputs: PlatformAccessInputs): PlatformAccess {
  const { local, stackOutputs: outputs } = inputs;
  const summary = "The platforms cannot be reached";
  const env = readSettings(platformVariables, inputs.env, summary);
  const given = staticPlatformCredentials(env);
  const simulated = "the local stack's simulator credentials";
  const secret = <T>(secretId: string | undefined, shape: SecretShape<T>) =>
    secretId === undefined
      ? undefined
      : {
          credentials: secretSource(inputs.secretsManager, secretId, shape),
          origin: `secret ${secretId}`,
        };

  const accountUrl =
    env.ACCOUNT_PLATFORM_URL ??
    local?.accountPlatform.url ??
    outputs?.[STACK_OUTPUTS.accountPlatformUrl];
  const account: Access<AccountPlatformCredentials> | undefined = given.accountPlatform
    ? {
        credentials: new StaticCredentialSource(given.accountPlatform),
        origin: "ACCOUNT_PLATFORM_CLIENT_ID/_CLIENT_SECRET",
      }
    : env.ACCOUNT_PLATFORM_SECRET_ID === undefined && local?.accountPlatform.clientId
      ? {
          credentials: new StaticCredentialSource({
            clientId: local.accountPlatform.clientId,
            clientSecret: local.accountPlatform.clientSecret ?? "",
          }),
          origin: simulated,
        }
      : secret(
          env.ACCOUNT_PLATFORM_SECRET_ID ?? outputs?.[STACK_OUTPUTS.accountPlatformSecretArn],
          accountPlatformCredentialsShape,
        );

  const osisUrl = env.OSIS_URL ?? local?.osis.url ?? outputs?.[STACK_OUTPUTS.osisUrl];
  // A stack's OsisUrl holds the base path already.
  const basePath = env.OSIS_URL ? env.OSIS_BASE_PATH : (local?.osis.basePath ?? "");
  const osis: Access<OsisCredentials> | undefined = given.osis
    ? {
        credentials: new StaticCredentialSource<OsisCredentials>(given.osis),
        origin: "token" in given.osis ? "OSIS_TOKEN" : "OSIS_USERNAME/OSIS_PASSWORD",
      }
    : env.OSIS_SECRET_ID === undefined && local?.osis.username
      ? {
          credentials: new StaticCredentialSource<OsisCredentials>({
            username: local.osis.username,
            password: local.osis.password ?? "",
          }),
          origin: simulated,
        }
      : secret(env.OSIS_SECRET_ID ?? outputs?.[STACK_OUTPUTS.osisSecretArn], osisCredentialsShape);

  const needed: [unknown, string][] = [
    [accountUrl, "the account platform's URL: set ACCOUNT_PLATFORM_URL"],
    [
      account,
      "the account platform's credentials: set ACCOUNT_PLATFORM_SECRET_ID (or ACCOUNT_PLATFORM_CLIENT_ID and ACCOUNT_PLATFORM_CLIENT_SECRET)",
    ],
    [osisUrl, "the OSIS URL: set OSIS_URL"],
    [
      osis,
      "the OSIS credentials: set OSIS_SECRET_ID (or OSIS_TOKEN, or OSIS_USERNAME and OSIS_PASSWORD)",
    ],
  ];
  const problems = needed.flatMap(([found, problem]) => (found ? [] : [problem]));
  if (!accountUrl || !account || !osisUrl || !osis) throw new ConfigurationError(summary, problems);
  return {
    accountPlatform: {
      ...account,
      url: accountUrl,
      origin: `${accountUrl} with ${account.origin}`,
      ...optionalField(
        "tenantId",
        env.ACCOUNT_PLATFORM_TENANT_ID ?? local?.accountPlatform.tenantId,
      ),
    },
    osis: {
      ...osis,
      url: osisUrl,
      basePath,
      origin: `${osisUrl} with ${osis.origin}`,
      ...optionalField("cdTenantId", env.OSIS_CD_TENANT_ID ?? local?.osis.cdTenantId),
    },
  };
}

function secretSource<T>(
  client: () => SecretsManagerClient,
  secretId: string,
  shape: SecretShape<T>,
): CredentialSource<T> {
  let source: SecretsManagerCredentialSource<T> | undefined;
  // The client is made on first use, so a run that never reads a secret needs no AWS access.
  const made = () => {
    source ??= new SecretsManagerCredentialSource<T>({ client: client(), secretId, shape });
    return source;
  };
  return { get: () => made().get(), refresh: () => made().refresh() };
}

function optionalField<K extends string>(key: K, value: string | undefined) {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/**
 * Runs `use` with what the commands that read the platforms (reconcile, plan) need to reach
 * them; a Secrets Manager client is made only if a secret is read, and closed when `use` ends.
 * `who` names the command in the error saying what is missing.
 */
export async function withPlatformAccess<T>(
  settings: LifecycleSettings,
  context: CommandContext,
  who: string,
  use: (access: PlatformAccess) => Promise<T>,
): Promise<T> {
  let client: SecretsManagerClient | undefined;
  const secretsManager = () => {
    client ??= context.clients.secretsManager({
      region: settings.region,
      credentials: settings.credentials,
    });
    return client;
  };
  try {
    return await use(await platformAccess(settings, context, secretsManager, who));
  } finally {
    client?.destroy();
  }
}

/** The clients a command reads the platforms with, once it has said where each one points. */
export function platformClientsFor(
  access: PlatformAccess,
  context: CommandContext,
): PlatformClients {
  context.note(`Account platform: ${access.accountPlatform.origin}.`);
  context.note(`OSIS: ${access.osis.origin}.`);
  return createPlatformClients({
    accountPlatform: access.accountPlatform,
    osis: access.osis,
    credentials: {
      accountPlatform: access.accountPlatform.credentials,
      osis: access.osis.credentials,
    },
    timeoutMs: DEFAULT_PLATFORM_TIMEOUT_MS,
  });
}

async function platformAccess(
  settings: LifecycleSettings,
  context: CommandContext,
  secretsManager: () => SecretsManagerClient,
  who: string,
): Promise<PlatformAccess> {
  // Where the settings were found is where the platforms are: one reading of local.json and of
  // the stack's outputs (lifecycle-settings.ts).
  const local = settings.localStack;
  const stackOutputs = settings.stackOutputs;
  try {
    return resolvePlatformAccess({ env: context.env, local, stackOutputs, secretsManager });
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    throw new UsageError(
      `${who} cannot reach the platforms: ${error.problems.join("; ")}.`,
      error.problems.join("\n"),
    );
  }
}
