import { createHmac, randomBytes, randomUUID } from "node:crypto";
import * as z from "zod";
import { PLACEHOLDER } from "../../contract/secrets.ts";
import type { SignatureFailure } from "../../contract/signature-failures.ts";
import { type SigningKeys, STILL_PLACEHOLDER } from "../credentials/secret-shapes.ts";
import { fits, refused, type ShapeResult } from "../credentials/shape-checks.ts";
import { matchesOf } from "./constant-time.ts";
import { usableKeys } from "./signature-check.ts";
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

/** A key as any signing key secret holds it: filled in (signingKeysShape's rule). */
const signingKey = z
  .string()
  .min(1)
  .refine((key) => key !== PLACEHOLDER, STILL_PLACEHOLDER);

/** A key limited to the sources it may sign events of. */
const limitedKeySchema = z.strictObject({
  key: signingKey,
  sources: z
    .array(z.string().min(1, "must not be empty"))
    .min(1, "must name at least one source (a key for any source is a plain string)"),
});

/**
 * The webhook secret's shape, stricter than `signingKeysShape`: every key must be `whsec_` and
 * base64 of 24–64 bytes, so a mistyped key fails the cold start instead of every request. An
 * entry is a key (any source) or `{"key": "whsec_…", "sources": ["urn:hr:workday"]}` (only
 * events of those sources). Messages name the key's position only, never its value.
 */
export const standardWebhooksKeysSchema = z
  .object({
    keys: z.array(z.union([signingKey, limitedKeySchema])).min(1, "must hold at least one key"),
  })
  .superRefine((secret, ctx) => {
    secret.keys.forEach((entry, index) => {
      if (!isUsableSecret(typeof entry === "string" ? entry : entry.key)) {
        ctx.addIssue({
          code: "custom",
          path: typeof entry === "string" ? ["keys", index] : ["keys", index, "key"],
          message: `must be "${STANDARD_WEBHOOK_SECRET_PREFIX}" followed by the base64 of ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} random bytes`,
        });
      }
    });
  })
  .transform(({ keys }): SigningKeys => {
    const sourcesOf = new Map<string, Set<string>>();
    const unlimited = new Set<string>();
    for (const entry of keys) {
      if (typeof entry === "string") unlimited.add(entry);
      else
        sourcesOf.set(entry.key, new Set([...(sourcesOf.get(entry.key) ?? []), ...entry.sources]));
    }
    // A key listed plain as well may sign any source.
    for (const key of unlimited) sourcesOf.delete(key);
    return {
      keys: [...new Set(keys.map((entry) => (typeof entry === "string" ? entry : entry.key)))],
      sourcesOf,
    };
  });

/** The webhook secret's shape as SecretsManagerCredentialSource checks it. */
export function standardWebhooksKeysShape(json: unknown): ShapeResult<SigningKeys> {
  // Read once per cold start or TTL: zod's compiled fast path would cost more than it saves.
  const parsed = standardWebhooksKeysSchema.safeParse(json, { jitless: true });
  if (parsed.success) return fits(parsed.data);
  // Only paths and messages: the issue objects may echo the secret's values. A path of parsed
  // JSON holds no symbol.
  const steps = (path: PropertyKey[]) =>
    path.map((step) => (typeof step === "symbol" ? String(step) : step));
  return refused(parsed.error.issues.map(({ path, message }) => ({ path: steps(path), message })));
}

function hmac(key: Buffer, id: string, timestamp: string, rawBody: Buffer): Buffer {
  return createHmac("sha256", key).update(`${id}.${timestamp}.`).update(rawBody).digest();
}

/** The keys some `v1` entry matches, or which check failed (signature-check.ts). */
export type StandardWebhookCheck =
  | { ok: true; signers: string[] }
  | { ok: false; failure: SignatureFailure };

/** True only when the timestamp is fresh and some `v1` entry matches some usable key. */
export function verifyStandardWebhook(input: VerifyStandardWebhookInput): boolean {
  return checkStandardWebhook(input).ok;
}

function fails(failure: SignatureFailure): StandardWebhookCheck {
  return { ok: false, failure };
}

/** The checks in order: on success the usable keys some `v1` entry matches. */
export function checkStandardWebhook(input: VerifyStandardWebhookInput): StandardWebhookCheck {
  const { id, timestamp, signature, rawBody, keys, nowSeconds } = input;
  if (!id || !timestamp || !signature) return fails("missing_header");
  if (!isWithinTolerance(timestamp, nowSeconds)) return fails("timestamp_outside_window");
  const offered = signature
    .split(" ")
    .filter((entry) => entry.startsWith("v1,"))
    .map((entry) => Buffer.from(entry.slice(3), "base64"));
  if (offered.length === 0) return fails("missing_header");
  const usable = usableKeys(keys, isUsableSecret);
  if (!usable.ok) return fails(usable.failure);
  const expected = usable.keys.map((key) => hmac(secretKeyBytes(key), id, timestamp, rawBody));
  const matched = matchesOf(offered, expected);
  const signers = usable.keys.filter((_key, index) => matched[index]);
  return signers.length > 0 ? { ok: true, signers } : fails("no_key_matched");
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
