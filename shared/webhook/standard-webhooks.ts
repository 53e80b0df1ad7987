import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Standard Webhooks (standardwebhooks.com): `webhook-signature` holds space-separated
 * `v1,<base64 HMAC-SHA256>` entries over `{webhook-id}.{webhook-timestamp}.{raw body}`, keyed by
 * the base64 part of a `whsec_…` secret. Any entry may match any key, so keys can be rotated.
 */

export const STANDARD_WEBHOOK_SECRET_PREFIX = "whsec_";
/** Five minutes either way: older is a replay, newer is a clock the sender must fix. */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

export interface StandardWebhookHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

export interface VerifyStandardWebhookInput {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  keys: readonly string[];
  nowSeconds: number;
}

export function secretKeyBytes(secret: string): Buffer {
  const encoded = secret.startsWith(STANDARD_WEBHOOK_SECRET_PREFIX)
    ? secret.slice(STANDARD_WEBHOOK_SECRET_PREFIX.length)
    : secret;
  return Buffer.from(encoded, "base64");
}

function hmac(key: Buffer, id: string, timestamp: string, rawBody: Buffer): Buffer {
  return createHmac("sha256", key).update(`${id}.${timestamp}.`).update(rawBody).digest();
}

/** True only when the timestamp is fresh and some `v1` entry matches some key. */
export function verifyStandardWebhook(input: VerifyStandardWebhookInput): boolean {
  const { id, timestamp, signature, rawBody, keys, nowSeconds } = input;
  if (!id || !timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > TIMESTAMP_TOLERANCE_SECONDS) return false;
  const offered = signature
    .split(" ")
    .filter((entry) => entry.startsWith("v1,"))
    .map((entry) => Buffer.from(entry.slice(3), "base64"));
  if (offered.length === 0) return false;
  let matched = false;
  for (const key of keys) {
    const expected = hmac(secretKeyBytes(key), id, timestamp, rawBody);
    for (const candidate of offered) {
      // Every comparison runs, matched or not, so timing says nothing about which key matched.
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) {
        matched = true;
      }
    }
  }
  return matched;
}

/** Signs a request the way a Standard Webhooks sender does (CLI, tests, benchmarks, README). */
export function signStandardWebhook(input: {
  secret: string;
  id: string;
  timestamp: number;
  body: string | Buffer;
}): StandardWebhookHeaders {
  const timestamp = String(input.timestamp);
  const body = typeof input.body === "string" ? Buffer.from(input.body) : input.body;
  const signature = hmac(secretKeyBytes(input.secret), input.id, timestamp, body).toString(
    "base64",
  );
  return {
    "webhook-id": input.id,
    "webhook-timestamp": timestamp,
    "webhook-signature": `v1,${signature}`,
  };
}

/** A fresh signing secret in the Standard Webhooks format (32 random bytes). */
export function generateWebhookSecret(): string {
  return `${STANDARD_WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString("base64")}`;
}
