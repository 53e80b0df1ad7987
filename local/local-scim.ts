import { randomBytes } from "node:crypto";
import { createScimHandler } from "../functions/scim/create-handler.ts";
import { SCIM_BASE_PATH } from "../shared/contract/webhook-routes.ts";
import type { AwsEndpoints } from "../shared/runtime/aws/aws-clients.ts";
import type { Environment } from "../shared/runtime/configuration/setting-fields.ts";
import type { PlatformCredentialSources } from "../shared/runtime/credentials/platform-credential-sources.ts";
import { StaticCredentialSource } from "../shared/runtime/credentials/static-credential-source.ts";
import type { Logger } from "../shared/runtime/logging/logger.ts";
import { type Metrics, noMetrics } from "../shared/runtime/metrics/metrics.ts";
import { loadScimConfig } from "../shared/runtime/scim-service/scim-config.ts";
import { createScimDependencies } from "../shared/runtime/scim-service/scim-dependencies.ts";
import type { ScimTokens } from "../shared/runtime/scim-service/scim-token-secret.ts";
import type { ProxyResource } from "./webhook-http-adapter.ts";

/** The deployed SCIM function's timeout (infra/constructs/scim-function.ts). */
export const LOCAL_SCIM_TIMEOUT_MS = 28_000;

export interface LocalScim {
  /** The SCIM resource of the webhook API, for its HTTP adapter. */
  readonly proxy: ProxyResource;
  /** This run's bearer token (the local stack's banner and local.json show it). */
  readonly token: string;
  close(): void;
}

/**
 * The deployed SCIM function for the local stack: the same handler, a token generated per run
 * through a static credential source, the stack's platforms, ledger and queue.
 */
export function createLocalScim(options: {
  /** The stack's wiring (queue, ledger, platforms) over the caller's tuning (SCIM_*, PROTECTED_ACCOUNTS). */
  env: Environment;
  credentials: PlatformCredentialSources;
  aws: AwsEndpoints;
  logger: Logger;
  metrics?: Metrics | undefined;
}): LocalScim {
  const token = `scim_${randomBytes(32).toString("base64url")}`;
  const dependencies = createScimDependencies({
    config: loadScimConfig(options.env),
    credentials: options.credentials,
    tokens: new StaticCredentialSource<ScimTokens>({ tokens: [token] }),
    aws: options.aws,
    logger: options.logger,
    metrics: options.metrics ?? noMetrics,
  });
  const handler = createScimHandler(dependencies);
  return {
    proxy: {
      basePath: SCIM_BASE_PATH,
      // The local API is plain HTTP and its URL has no stage segment: what API Gateway would
      // say of the request (X-Forwarded-Proto, the path as called) is said of the local one,
      // so the resources' `meta.location` names the local URL.
      handler: (event, context) =>
        handler(
          {
            ...event,
            headers: { ...event.headers, "X-Forwarded-Proto": "http" },
            requestContext: { ...event.requestContext, path: event.path },
          },
          context,
        ),
      functionName: "lifecycle-scim",
      timeoutMs: LOCAL_SCIM_TIMEOUT_MS,
    },
    token,
    close: () => dependencies.close(),
  };
}
