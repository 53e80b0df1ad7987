import { loadReconcileConfig } from "../../shared/config/reconcile-config.ts";
import { platformSecretsFromSecretsManager } from "../../shared/credentials/platform-secrets.ts";
import { createReconcileDependencies } from "../../shared/reconcile/reconcile-dependencies.ts";
import { createReconcileHandler } from "./create-handler.ts";

/** The deployed scheduled reconciliation: configuration, secrets, dependencies, handler. */
const config = loadReconcileConfig(process.env);
const credentials = platformSecretsFromSecretsManager(
  { accountPlatform: config.accountPlatform.secretId, osis: config.osis.secretId },
  "reconciliation",
);

export const handler = createReconcileHandler(createReconcileDependencies({ config, credentials }));
