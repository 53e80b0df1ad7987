import { platformSecretsFromSecretsManager } from "../../shared/runtime/credentials/platform-credential-sources.ts";
import { loadReconcileConfig } from "../../shared/runtime/reconcile/reconcile-config.ts";
import { createReconcileDependencies } from "../../shared/runtime/reconcile/reconcile-dependencies.ts";
import { createReconcileHandler } from "./create-handler.ts";

/** The deployed scheduled reconciliation: configuration, secrets, dependencies, handler. */
const config = loadReconcileConfig(process.env);
const credentials = platformSecretsFromSecretsManager(
  { accountPlatform: config.accountPlatform.secretId, osis: config.osis.secretId },
  "reconciliation",
);

export const handler = createReconcileHandler(createReconcileDependencies({ config, credentials }));
