import { createSecretsManagerClient } from "../../shared/runtime/aws/aws-clients.ts";
import {
  bambooHrApiCredentialsShape,
  bambooHrKeysShape,
} from "../../shared/runtime/credentials/secret-shapes.ts";
import { SecretsManagerCredentialSource } from "../../shared/runtime/credentials/secrets-manager-credential-source.ts";
import { ConfigurationError } from "../../shared/runtime/errors/configuration-error.ts";
import { standardWebhooksKeysShape } from "../../shared/runtime/webhook/standard-webhooks.ts";
import { loadWebhookConfig } from "../../shared/runtime/webhook/webhook-config.ts";
import { createWebhookDependencies } from "../../shared/runtime/webhook/webhook-dependencies.ts";
import { createWebhookHandler } from "./create-handler.ts";

/** The deployed webhook: configuration, signing keys, dependencies, handler. */
const config = loadWebhookConfig(process.env);
const { webhookSecretId, bamboohrSecretId, bamboohrApiSecretId } = config;
if (
  webhookSecretId === undefined ||
  bamboohrSecretId === undefined ||
  bamboohrApiSecretId === undefined
) {
  throw new ConfigurationError("The deployed webhook needs its secrets", [
    ...(webhookSecretId === undefined ? ["WEBHOOK_SECRET_ID is required"] : []),
    ...(bamboohrSecretId === undefined ? ["BAMBOOHR_SECRET_ID is required"] : []),
    ...(bamboohrApiSecretId === undefined ? ["BAMBOOHR_API_SECRET_ID is required"] : []),
  ]);
}

const secretsManager = createSecretsManagerClient();
const ttlMs = config.keysCacheSeconds * 1000;
const keys = {
  standardWebhooks: new SecretsManagerCredentialSource({
    client: secretsManager,
    secretId: webhookSecretId,
    shape: standardWebhooksKeysShape,
    ttlMs,
  }),
  bamboohr: new SecretsManagerCredentialSource({
    client: secretsManager,
    secretId: bamboohrSecretId,
    shape: bambooHrKeysShape,
    ttlMs,
  }),
};
const bamboohrApi = new SecretsManagerCredentialSource({
  client: secretsManager,
  secretId: bamboohrApiSecretId,
  shape: bambooHrApiCredentialsShape,
  ttlMs,
});
// A secret still holding the stack's placeholder (or a key that is not `whsec_…`) fails the
// cold start with a message naming it, instead of failing every request. BambooHR is optional:
// its untouched secrets mean no keys and no API key.
const [, bamboohrKeys, bamboohrApiKey] = await Promise.all([
  keys.standardWebhooks.get(),
  keys.bamboohr.get(),
  bamboohrApi.get(),
]);

const dependencies = createWebhookDependencies({ config, keys, bamboohrApi });
if (bamboohrKeys.keys.length === 0) {
  dependencies.logger.warn(
    "BambooHR's secret still holds the placeholder: /bamboohr refuses every request until it is filled",
    { secretId: bamboohrSecretId },
  );
}
if (bamboohrKeys.keys.length > 0 && bamboohrApiKey === undefined) {
  dependencies.logger.warn(
    "BambooHR's API secret still holds the placeholder: field-based deliveries are taken from their values, unordered (BambooHrUnordered), and event-based ones answered 503 (BambooHR retries) until it is filled",
    { secretId: bamboohrApiSecretId },
  );
}
export const handler = createWebhookHandler(dependencies);
