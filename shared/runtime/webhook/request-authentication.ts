import type { SignatureFailure } from "../../contract/signature-failures.ts";
import type { WebhookRoute } from "../../contract/webhook-routes.ts";
import { checkBambooHrSignature } from "./bamboohr-signature.ts";
import { sourcesAllowed } from "./key-sources.ts";

import type { SigningKeyring } from "./signing-keys.ts";
import { checkStandardWebhook } from "./standard-webhooks.ts";
import type { WebhookRequest } from "./webhook-request.ts";

/** The keys of each route: Standard Webhooks secrets for /events, BambooHR's for /bamboohr. */
export interface WebhookKeyrings {
  standardWebhooks: SigningKeyring;
  bamboohr: SigningKeyring;
}

/**
 * On success, the signed timestamp header (BambooHR events take their id and time from it) and
 * the sources the signing key may send; on failure, which check failed (for the operator's log
 * and metric, never for the caller).
 */
export type Authentication =
  | { ok: true; timestamp: string; sources: ReadonlySet<string> | "any" }
  | { ok: false; failure: SignatureFailure };

/**
 * The third check: the signature over the raw bytes, with the route's own scheme. Headers are
 * read only as the scheme needs them; nothing else of the request is looked at.
 */
export async function authenticateRequest(
  route: WebhookRoute,
  request: WebhookRequest,
  keyrings: WebhookKeyrings,
  nowSeconds: number,
  freshness: { bamboohrMaxAgeSeconds?: number } = {},
): Promise<Authentication> {
  const { headers, rawBody } = request;
  // The keyring may check twice (once more after re-reading the keys): the last failure counts.
  let failure: SignatureFailure = "no_key_matched";
  if (route === "events") {
    const timestamp = headers["webhook-timestamp"];
    const sources = await keyrings.standardWebhooks.find((secret) => {
      const check = checkStandardWebhook({
        id: headers["webhook-id"],
        timestamp,
        signature: headers["webhook-signature"],
        rawBody,
        keys: secret.keys,
        nowSeconds,
      });
      if (!check.ok) failure = check.failure;
      return check.ok ? sourcesAllowed(secret, check.signers) : undefined;
    });
    return sources !== undefined && timestamp !== undefined
      ? { ok: true, timestamp, sources }
      : { ok: false, failure };
  }
  const timestamp = headers["x-bamboohr-timestamp"];
  const authentic = await keyrings.bamboohr.verify((keys) => {
    const check = checkBambooHrSignature({
      timestamp,
      signature: headers["x-bamboohr-signature"],
      rawBody,
      keys,
      nowSeconds,
      maxAgeSeconds: freshness.bamboohrMaxAgeSeconds,
    });
    if (!check.ok) failure = check.failure;
    return check.ok;
  });
  // BambooHR's keys send only BambooHR's source, which its route sets itself.
  return authentic && timestamp !== undefined
    ? { ok: true, timestamp, sources: "any" }
    : { ok: false, failure };
}
