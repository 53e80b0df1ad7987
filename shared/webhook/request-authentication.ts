import { checkBambooHrSignature } from "./bamboohr-signature.ts";
import type { WebhookRoute } from "./request-classification.ts";
import type { SignatureCheck, SignatureFailure } from "./signature-check.ts";
import type { SigningKeyring } from "./signing-keys.ts";
import { checkStandardWebhook } from "./standard-webhooks.ts";
import type { WebhookRequest } from "./webhook-request.ts";

/** The keys of each route: Standard Webhooks secrets for /events, BambooHR's for /bamboohr. */
export interface WebhookKeyrings {
  standardWebhooks: SigningKeyring;
  bamboohr: SigningKeyring;
}

/**
 * On success, the signed timestamp header (BambooHR events take their id and time from it); on
 * failure, which check failed (for the operator's log and metric, never for the caller).
 */
export type Authentication =
  | { ok: true; timestamp: string }
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
): Promise<Authentication> {
  const { headers, rawBody } = request;
  // The keyring may check twice (once more after re-reading the keys): the last failure counts.
  let failure: SignatureFailure = "no_key_matched";
  const noting = (check: SignatureCheck): boolean => {
    if (!check.ok) failure = check.failure;
    return check.ok;
  };
  if (route === "events") {
    const timestamp = headers["webhook-timestamp"];
    const authentic = await keyrings.standardWebhooks.verify((keys) =>
      noting(
        checkStandardWebhook({
          id: headers["webhook-id"],
          timestamp,
          signature: headers["webhook-signature"],
          rawBody,
          keys,
          nowSeconds,
        }),
      ),
    );
    return authentic && timestamp !== undefined ? { ok: true, timestamp } : { ok: false, failure };
  }
  const timestamp = headers["x-bamboohr-timestamp"];
  const authentic = await keyrings.bamboohr.verify((keys) =>
    noting(
      checkBambooHrSignature({
        timestamp,
        signature: headers["x-bamboohr-signature"],
        rawBody,
        keys,
        nowSeconds,
      }),
    ),
  );
  return authentic && timestamp !== undefined ? { ok: true, timestamp } : { ok: false, failure };
}
