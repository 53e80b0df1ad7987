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
