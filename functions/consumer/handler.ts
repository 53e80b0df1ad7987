import { createSecretsManagerClient } from "../../shared/aws/aws-clients.ts";
import { loadConsumerConfig } from "../../shared/config/consumer-config.ts";
import { createConsumerDependencies } from "../../shared/consumer/consumer-dependencies.ts";
import {
  accountPlatformCredentialsSchema,
  osisCredentialsSchema,
} from "../../shared/credentials/secret-shapes.ts";
import { SecretsManagerCredentialSource } from "../../shared/credentials/secrets-manager-credential-source.ts";
import { ConfigurationError } from "../../shared/errors/configuration-error.ts";
import { createConsumerHandler } from "./create-handler.ts";

/** The deployed consumer: configuration, secrets, dependencies, handler. Cold start fails loudly. */
const config = loadConsumerConfig(process.env);
const accountPlatformSecretId = config.accountPlatform.secretId;
const osisSecretId = config.osis.secretId;
if (accountPlatformSecretId === undefined || osisSecretId === undefined) {
  throw new ConfigurationError("The deployed consumer needs its secrets", [
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
// Read both secrets now: a secret still holding the stack's placeholder fails the cold start
// with a message naming it, instead of failing every event one by one.
await Promise.all([credentials.accountPlatform.get(), credentials.osis.get()]);

export const handler = createConsumerHandler(createConsumerDependencies({ config, credentials }));
