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
import { isFresh } from "./timestamp-tolerance.ts";

/**
 * BambooHR signs a webhook with `X-BambooHR-Signature`: the hex HMAC-SHA256 of the raw body
 * followed by `X-BambooHR-Timestamp` exactly as sent (Unix seconds in captured deliveries; an
 * ISO 8601 instant is accepted too), keyed by the webhook's private key used as text.
 */
export interface BambooHrHeaders {
  "x-bamboohr-timestamp": string;
  "x-bamboohr-signature": string;
}

function hmac(key: string, rawBody: Buffer, timestamp: string): Buffer {
  return createHmac("sha256", key).update(rawBody).update(timestamp).digest();
}

export interface VerifyBambooHrInput {
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  keys: readonly string[];
  nowSeconds: number;
}

/** True only when the timestamp is fresh and the signature matches one of the keys. */
export function verifyBambooHrSignature(input: VerifyBambooHrInput): boolean {
  return checkBambooHrSignature(input).ok;
}

/** The same checks in order, saying which one failed (signature-check.ts). */
export function checkBambooHrSignature(input: VerifyBambooHrInput): SignatureCheck {
  const { timestamp, signature, rawBody, keys, nowSeconds } = input;
  if (!timestamp || !signature || !/^[0-9a-fA-F]{64}$/.test(signature)) {
    return signatureFails("missing_header");
  }
  const instant = parseBambooHrInstant(timestamp);
  if (instant === undefined || !isFresh(instant, nowSeconds)) {
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
