import type { SignatureFailure } from "../../contract/signature-failures.ts";

export type SignatureCheck = { ok: true } | { ok: false; failure: SignatureFailure };

export const SIGNATURE_HOLDS: SignatureCheck = { ok: true };

export function signatureFails(failure: SignatureFailure): SignatureCheck {
  return { ok: false, failure };
}

/** The keys long enough to verify with, or the failure when there are none. */
export function usableKeys(
  keys: readonly string[],
  isLongEnough: (key: string) => boolean,
): { ok: true; keys: string[] } | { ok: false; failure: SignatureFailure } {
  if (keys.length === 0) return { ok: false, failure: "no_key_configured" };
  const usable = keys.filter(isLongEnough);
  return usable.length === 0 ? { ok: false, failure: "key_too_short" } : { ok: true, keys: usable };
}
