import { verifyBambooHrSignature } from "./bamboohr-signature.ts";
import { sourcesAllowed } from "./key-sources.ts";
import type { WebhookRoute } from "./request-classification.ts";
import type { SigningKeyring } from "./signing-keys.ts";
import { standardWebhookSigners } from "./standard-webhooks.ts";
import type { WebhookRequest } from "./webhook-request.ts";

/** The keys of each route: Standard Webhooks secrets for /events, BambooHR's for /bamboohr. */
export interface WebhookKeyrings {
  standardWebhooks: SigningKeyring;
  bamboohr: SigningKeyring;
}

/**
 * On success, the signed timestamp header (BambooHR events take their id and time from it) and
 * the sources the signing key may send.
 */
export type Authentication =
  | { ok: true; timestamp: string; sources: ReadonlySet<string> | "any" }
  | { ok: false };

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
  if (route === "events") {
    const timestamp = headers["webhook-timestamp"];
    const sources = await keyrings.standardWebhooks.find((secret) => {
      const signers = standardWebhookSigners({
        id: headers["webhook-id"],
        timestamp,
        signature: headers["webhook-signature"],
        rawBody,
        keys: secret.keys,
        nowSeconds,
      });
      return signers.length > 0 ? sourcesAllowed(secret, signers) : undefined;
    });
    return sources !== undefined && timestamp !== undefined
      ? { ok: true, timestamp, sources }
      : { ok: false };
  }
  const timestamp = headers["x-bamboohr-timestamp"];
  const authentic = await keyrings.bamboohr.verify((keys) =>
    verifyBambooHrSignature({
      timestamp,
      signature: headers["x-bamboohr-signature"],
      rawBody,
      keys,
      nowSeconds,
      maxAgeSeconds: freshness.bamboohrMaxAgeSeconds,
    }),
  );
  // BambooHR's keys send only BambooHR's source, which its route sets itself.
  return authentic && timestamp !== undefined
    ? { ok: true, timestamp, sources: "any" }
    : { ok: false };
}
