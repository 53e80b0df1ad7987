/**
 * A webhook request as received, before anything about it is trusted: header names
 * lower-cased, and the body as the exact bytes the sender signed (never re-encoded).
 */
export interface WebhookRequest {
  method: string;
  path: string;
  headers: Readonly<Record<string, string | undefined>>;
  rawBody: Buffer;
}
