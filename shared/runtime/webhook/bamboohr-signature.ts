import { createHmac } from "node:crypto";
import { MIN_BAMBOOHR_KEY_BYTES } from "../credentials/secret-shapes.ts";
import { parseBambooHrInstant } from "./bamboohr-timestamp.ts";
import { anyMatches } from "./constant-time.ts";
import {
  SIGNATURE_HOLDS,
  type SignatureCheck,
  signatureFails,
  usableKeys,
} from "./signature-check.ts";
import { TIMESTAMP_TOLERANCE_SECONDS } from "./timestamp-tolerance.ts";

/**
 * BambooHR signs a webhook with `X-BambooHR-Signature`: the hex HMAC-SHA256 of the raw body
 * followed by `X-BambooHR-Timestamp` exactly as sent (Unix seconds in captured deliveries; an
 * ISO 8601 instant is accepted too), keyed by the webhook's private key used as text.
 * What BambooHR documents and what it leaves out: docs/platforms.md, "Webhook signature".
 */
export interface BambooHrHeaders {
  "x-bamboohr-timestamp": string;
  "x-bamboohr-signature": string;
}

function hmac(key: string, rawBody: Buffer, timestamp: string): Buffer {
  return createHmac("sha256", key).update(rawBody).update(timestamp).digest();
}

/**
 * How old a BambooHR signature may be by default: BambooHR retries a 5xx after 5, 10, 20, 40
 * and 80 minutes, and does not say whether a retry is signed anew, so a retry signed with the
 * first timestamp must still verify at the last one (155 minutes; three hours).
 */
export const BAMBOOHR_MAX_AGE_SECONDS = 10_800;

export interface VerifyBambooHrInput {
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  keys: readonly string[];
  nowSeconds: number;
  maxAgeSeconds?: number | undefined;
}

/**
 * The checks in order, saying which one failed (signature-check.ts). Fresh is asymmetric: up to
 * `maxAgeSeconds` old (BAMBOOHR_MAX_AGE_SECONDS), at most five minutes ahead (a sender clock to
 * fix).
 */
export function checkBambooHrSignature(input: VerifyBambooHrInput): SignatureCheck {
  const { timestamp, signature, rawBody, keys, nowSeconds } = input;
  if (!timestamp || !signature || !/^[0-9a-fA-F]{64}$/.test(signature)) {
    return signatureFails("missing_header");
  }
  const instant = parseBambooHrInstant(timestamp);
  if (instant === undefined) return signatureFails("timestamp_outside_window");
  const ageMs = nowSeconds * 1000 - instant;
  const maxAgeMs = (input.maxAgeSeconds ?? BAMBOOHR_MAX_AGE_SECONDS) * 1000;
  if (ageMs > maxAgeMs || -ageMs > TIMESTAMP_TOLERANCE_SECONDS * 1000) {
    return signatureFails("timestamp_outside_window");
  }
  const usable = usableKeys(keys, (key) => Buffer.byteLength(key) >= MIN_BAMBOOHR_KEY_BYTES);
  if (!usable.ok) return signatureFails(usable.failure);
  const expected = usable.keys.map((key) => hmac(key, rawBody, timestamp));
  return anyMatches([Buffer.from(signature, "hex")], expected)
    ? SIGNATURE_HOLDS
    : signatureFails("no_key_matched");
}

/** Signs a request as BambooHR does (tests, benchmarks, the docs' example). */
export function signBambooHrWebhook(input: {
  key: string;
  /** Unix seconds, or the header's text as sent (an ISO 8601 instant). */
  timestamp?: number | string;
  body: string | Uint8Array;
}): BambooHrHeaders {
  const timestamp = String(input.timestamp ?? Math.floor(Date.now() / 1000));
  const body = Buffer.from(input.body);
  return {
    "x-bamboohr-timestamp": timestamp,
    "x-bamboohr-signature": hmac(input.key, body, timestamp).toString("hex"),
  };
}
