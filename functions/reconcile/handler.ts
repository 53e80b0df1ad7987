import { createSecretsManagerClient } from "../../shared/aws/aws-clients.ts";
import {
  accountPlatformCredentialsSchema,
  osisCredentialsSchema,
} from "../../shared/credentials/secret-shapes.ts";
import { SecretsManagerCredentialSource } from "../../shared/credentials/secrets-manager-credential-source.ts";
import { ConfigurationError } from "../../shared/errors/configuration-error.ts";
import { loadReconcileConfig } from "../../shared/reconcile/reconcile-config.ts";
import { createReconcileDependencies } from "../../shared/reconcile/reconcile-dependencies.ts";
import { createReconcileHandler } from "./create-handler.ts";

/** The deployed scheduled reconciliation: configuration, secrets, dependencies, handler. */
const config = loadReconcileConfig(process.env);
const accountPlatformSecretId = config.accountPlatform.secretId;
const osisSecretId = config.osis.secretId;
if (accountPlatformSecretId === undefined || osisSecretId === undefined) {
  throw new ConfigurationError("The deployed reconciliation needs the platform secrets", [
    ...(accountPlatformSecretId === undefined ? ["ACCOUNT_PLATFORM_SECRET_ID is required"] : []),
    ...(osisSecretId === undefined ? ["OSIS_SECRET_ID is required"] : []),
  ]);
}

const secretsManager = createSecretsManagerClient();
const credentials = {
  accountPlatform: new SecretsManagerCredentialSource({
    client: secretsManager,
    secretId: accountPlatformSecretId,
    schema: accountPlatformCredentialsSchema,
  }),
  osis: new SecretsManagerCredentialSource({
    client: secretsManager,
    secretId: osisSecretId,
    schema: osisCredentialsSchema,
  }),
};

export const handler = createReconcileHandler(createReconcileDependencies({ config, credentials }));
