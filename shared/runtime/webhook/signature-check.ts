/**
 * Which check of a signature failed, for the operator (a warning and the `WebhookRejected`
 * reason); the caller still gets a bare 401. None of these names a key or a signature.
 *
 * | reason | what was wrong |
 * |---|---|
 * | `missing_header` | a signature header (or the Standard Webhooks id) is absent or malformed |
 * | `timestamp_outside_window` | the signed timestamp is outside the window (`/events`: five minutes either way; `/bamboohr`: `BAMBOOHR_MAX_AGE_SECONDS` back, five minutes ahead), or unreadable |
 * | `no_key_configured` | the route has no key at all (BambooHR's secret still the placeholder) |
 * | `key_too_short` | every configured key is too short to be used, so none was tried |
 * | `no_key_matched` | the signature matches none of the keys (a rotated-away or wrong key) |
 */
export const SIGNATURE_FAILURES = [
  "missing_header",
  "timestamp_outside_window",
  "no_key_configured",
  "key_too_short",
  "no_key_matched",
] as const;
export type SignatureFailure = (typeof SIGNATURE_FAILURES)[number];

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
