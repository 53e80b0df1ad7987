import { createHmac, timingSafeEqual } from "node:crypto";
import { TIMESTAMP_TOLERANCE_SECONDS } from "./standard-webhooks.ts";

/**
 * BambooHR signs a webhook with `X-BambooHR-Signature`: the hex HMAC-SHA256 of the raw body
 * followed by `X-BambooHR-Timestamp`, keyed by the webhook's private key.
 */
export function verifyBambooHrSignature(input: {
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  keys: readonly string[];
  nowSeconds: number;
}): boolean {
  const { timestamp, signature, rawBody, keys, nowSeconds } = input;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > TIMESTAMP_TOLERANCE_SECONDS) return false;
  const offered = Buffer.from(signature, "hex");
  let matched = false;
  for (const key of keys) {
    const expected = signBambooHr(key, rawBody, timestamp);
    if (timingSafeEqual(offered, expected)) matched = true;
  }
  return matched;
}

export function signBambooHr(key: string, rawBody: Buffer | string, timestamp: string): Buffer {
  return createHmac("sha256", key).update(rawBody).update(timestamp).digest();
}
