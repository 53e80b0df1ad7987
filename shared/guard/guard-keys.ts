import { createHash } from "node:crypto";
import { eventKey } from "../events/deduplication-id.ts";

/**
 * The guard's items in the ledger table. `#` cannot occur in a subject, so no person item
 * (`PERSON#<subject>`) can ever collide with these.
 */
export const GUARD_STATE_KEY = "GUARD#state";
export const GUARD_BUCKET_PREFIX = "GUARD#offboards#";

/** One fixed window's count: `GUARD#offboards#<bucket start, ISO>`. */
export function guardBucketKey(bucketStart: number): string {
  return `${GUARD_BUCKET_PREFIX}${new Date(bucketStart).toISOString()}`;
}

/**
 * What a bucket remembers of an offboard it counted: a short hash of the event key, so a retry
 * of the same event (say OSIS failed after the account platform was written) does not take a
 * second slot, and a window's item stays small (32 characters an event).
 */
export function guardSlotOf(event: { source: string; id: string }): string {
  return createHash("sha256").update(eventKey(event)).digest("hex").slice(0, 32);
}
