import { createSecretsManagerClient } from "../../shared/runtime/aws/aws-clients.ts";
import { loadConsumerConfig } from "../../shared/runtime/consumer/consumer-config.ts";
import { createConsumerDependencies } from "../../shared/runtime/consumer/consumer-dependencies.ts";
import { platformSecretsFromSecretsManager } from "../../shared/runtime/credentials/platform-credential-sources.ts";
import { bambooHrApiCredentialsShape } from "../../shared/runtime/credentials/secret-shapes.ts";
import { SecretsManagerCredentialSource } from "../../shared/runtime/credentials/secrets-manager-credential-source.ts";
import { createConsumerHandler } from "./create-handler.ts";

/** The deployed consumer: configuration, secrets, dependencies, handler. Cold start fails loudly. */
const config = loadConsumerConfig(process.env);
const credentials = platformSecretsFromSecretsManager(
  { accountPlatform: config.accountPlatform.secretId, osis: config.osis.secretId },
  "consumer",
);
// Read both secrets now: a secret still holding the stack's placeholder fails the cold start
// with a message naming it, instead of failing every event one by one.
await Promise.all([credentials.accountPlatform.get(), credentials.osis.get()]);

// BambooHR is optional: its API key is read when a BambooHR signal first needs it, not now, and
// again after a minute (a secret filled in after the cold start is found).
const bamboohrSecretId = config.bamboohr.bamboohrApiSecretId;
const bamboohrApi =
  bamboohrSecretId === undefined
    ? undefined
    : new SecretsManagerCredentialSource({
        client: createSecretsManagerClient(),
        secretId: bamboohrSecretId,
        shape: bambooHrApiCredentialsShape,
        ttlMs: 60_000,
      });

// Nothing else goes on the network here: the consumer's settings are recorded beside the
// first batch, so a slow or failing ledger cannot delay or fail a cold start.
const dependencies = createConsumerDependencies({ config, credentials, bamboohrApi });

export const handler = createConsumerHandler(dependencies);
