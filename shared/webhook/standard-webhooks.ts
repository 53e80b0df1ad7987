import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { signingKeysSchema } from "../credentials/secret-shapes.ts";
import { anyMatches } from "./constant-time.ts";
import {
  SIGNATURE_HOLDS,
  type SignatureCheck,
  signatureFails,
  usableKeys,
} from "./signature-check.ts";
import { isWithinTolerance } from "./timestamp-tolerance.ts";

/**
 * Standard Webhooks (standardwebhooks.com): `webhook-signature` holds space-separated
 * `v1,<base64 HMAC-SHA256>` entries over `{webhook-id}.{webhook-timestamp}.{raw body}`, keyed by
 * the base64 part of a `whsec_…` secret. Any entry may match any key, so keys can be rotated.
 */

export const STANDARD_WEBHOOK_SECRET_PREFIX = "whsec_";
/** The specification asks for keys of 24 to 64 bytes; a shorter key is never used to verify. */
export const MIN_SECRET_BYTES = 24;
export const MAX_SECRET_BYTES = 64;

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

/** The base64 part of a secret; the `whsec_` prefix is optional, as in the reference libraries. */
function base64Part(secret: string): string {
  return secret.startsWith(STANDARD_WEBHOOK_SECRET_PREFIX)
    ? secret.slice(STANDARD_WEBHOOK_SECRET_PREFIX.length)
    : secret;
}

/** The HMAC key of a `whsec_…` secret. */
export function secretKeyBytes(secret: string): Buffer {
  return Buffer.from(base64Part(secret), "base64");
}

function isUsableSecret(secret: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64Part(secret))) return false;
  const length = secretKeyBytes(secret).length;
  return length >= MIN_SECRET_BYTES && length <= MAX_SECRET_BYTES;
}

/**
 * The webhook secret's shape, stricter than `signingKeysSchema`: every key must be `whsec_` and
 * base64 of 24–64 bytes, so a mistyped key fails the cold start instead of every request.
 * Messages name the key's position only, never its value.
 */
export const standardWebhooksKeysSchema = signingKeysSchema.superRefine((secret, ctx) => {
  secret.keys.forEach((key, index) => {
    if (!isUsableSecret(key)) {
      ctx.addIssue({
        code: "custom",
        path: ["keys", index],
        message: `must be "${STANDARD_WEBHOOK_SECRET_PREFIX}" followed by the base64 of ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} random bytes`,
      });
    }
  });
});

function hmac(key: Buffer, id: string, timestamp: string, rawBody: Buffer): Buffer {
  return createHmac("sha256", key).update(`${id}.${timestamp}.`).update(rawBody).digest();
}

/** True only when the timestamp is fresh and some `v1` entry matches some usable key. */
export function verifyStandardWebhook(input: VerifyStandardWebhookInput): boolean {
  return checkStandardWebhook(input).ok;
}

/** The same checks in order, saying which one failed (signature-check.ts). */
export function checkStandardWebhook(input: VerifyStandardWebhookInput): SignatureCheck {
  const { id, timestamp, signature, rawBody, keys, nowSeconds } = input;
  if (!id || !timestamp || !signature) return signatureFails("missing_header");
  if (!isWithinTolerance(timestamp, nowSeconds)) return signatureFails("timestamp_outside_window");
  const offered = signature
    .split(" ")
    .filter((entry) => entry.startsWith("v1,"))
    .map((entry) => Buffer.from(entry.slice(3), "base64"));
  if (offered.length === 0) return signatureFails("missing_header");
  const usable = usableKeys(keys, isUsableSecret);
  if (!usable.ok) return signatureFails(usable.failure);
  const expected = usable.keys.map((key) => hmac(secretKeyBytes(key), id, timestamp, rawBody));
  return anyMatches(offered, expected) ? SIGNATURE_HOLDS : signatureFails("no_key_matched");
}

/**
 * Signs a request the way a Standard Webhooks sender does: the product's signer, for the CLI,
 * README, tests and benchmarks. `id` defaults to a fresh message id, `timestamp` (Unix
 * seconds) to now.
 */
export function signStandardWebhook(input: {
  secret: string;
  id?: string;
  timestamp?: number;
  body: string | Uint8Array;
}): StandardWebhookHeaders {
  const id = input.id ?? `msg_${randomUUID()}`;
  const timestamp = String(input.timestamp ?? Math.floor(Date.now() / 1000));
  const body = typeof input.body === "string" ? Buffer.from(input.body) : Buffer.from(input.body);
  const signature = hmac(secretKeyBytes(input.secret), id, timestamp, body).toString("base64");
  return {
    "webhook-id": id,
    "webhook-timestamp": timestamp,
    "webhook-signature": `v1,${signature}`,
  };
}

/** A fresh signing secret in the Standard Webhooks format (32 random bytes). */
export function generateWebhookSecret(): string {
  return `${STANDARD_WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString("base64")}`;
}
