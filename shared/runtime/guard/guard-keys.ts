import { createHash } from "node:crypto";
import {
  GUARD_BUCKET_PREFIX,
  GUARD_ONBOARDS_BUCKET_PREFIX,
  GUARD_ONBOARDS_STATE_KEY,
  GUARD_STATE_KEY,
} from "../../contract/ledger-keys.ts";
import { eventKey } from "../events/deduplication-id.ts";

/** What the guard counts: offboards that would disable someone, onboards that would enable someone. */
export type GuardDirection = "offboards" | "onboards";

export function guardDirectionOf(event: { type: string }): GuardDirection {
  return event.type === "user.offboarded" ? "offboards" : "onboards";
}

/** One fixed window's count: `GUARD#offboards#<bucket start, ISO>` (or `GUARD#onboards#…`). */
export function guardBucketKey(
  bucketStart: number,
  direction: GuardDirection = "offboards",
): string {
  const prefix = direction === "offboards" ? GUARD_BUCKET_PREFIX : GUARD_ONBOARDS_BUCKET_PREFIX;
  return `${prefix}${new Date(bucketStart).toISOString()}`;
}

/** Where a direction's trip is kept. */
export function guardStateKey(direction: GuardDirection = "offboards"): string {
  return direction === "offboards" ? GUARD_STATE_KEY : GUARD_ONBOARDS_STATE_KEY;
}

/**
 * What a bucket remembers of an offboard it counted: a short hash of the event key, so a retry
 * of the same event (say OSIS failed after the account platform was written) does not take a
 * second slot, and a window's item stays small (32 characters an event).
 */
export function guardSlotOf(event: { source: string; id: string }): string {
  return createHash("sha256").update(eventKey(event)).digest("hex").slice(0, 32);
}
