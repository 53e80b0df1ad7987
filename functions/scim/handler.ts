import { createSecretsManagerClient } from "../../shared/runtime/aws/aws-clients.ts";
import { platformSecretsFromSecretsManager } from "../../shared/runtime/credentials/platform-credential-sources.ts";
import { SecretsManagerCredentialSource } from "../../shared/runtime/credentials/secrets-manager-credential-source.ts";
import { ConfigurationError } from "../../shared/runtime/errors/configuration-error.ts";
import { loadScimConfig } from "../../shared/runtime/scim-service/scim-config.ts";
import { createScimDependencies } from "../../shared/runtime/scim-service/scim-dependencies.ts";
import { scimTokensShape } from "../../shared/runtime/scim-service/scim-token-secret.ts";
import { createScimHandler } from "./create-handler.ts";

/** The deployed SCIM function: configuration, secrets, dependencies, handler. */
const config = loadScimConfig(process.env);
if (config.tokenSecretId === undefined) {
  throw new ConfigurationError("The deployed SCIM function needs its token secret", [
    "SCIM_TOKEN_SECRET_ID is required",
  ]);
}
const tokens = new SecretsManagerCredentialSource({
  client: createSecretsManagerClient(),
  secretId: config.tokenSecretId,
  shape: scimTokensShape,
  ttlMs: config.tokensCacheSeconds * 1000,
});
const credentials = platformSecretsFromSecretsManager(
  { accountPlatform: config.accountPlatform.secretId, osis: config.osis.secretId },
  "SCIM function",
);
// A token secret still holding the stack's placeholder means SCIM is not in use: every request
// is answered 401. A short or mistyped token fails the cold start, naming its position.
const { tokens: configured } = await tokens.get();
const dependencies = createScimDependencies({ config, credentials, tokens });
if (configured.length === 0) {
  dependencies.logger.warn(
    "The SCIM token secret still holds the placeholder: every SCIM request is answered 401 until it is filled",
    { secretId: config.tokenSecretId },
  );
}
export const handler = createScimHandler(dependencies);
