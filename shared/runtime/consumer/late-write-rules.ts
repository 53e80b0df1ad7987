import { UnavailableError } from "../errors/platform-errors.ts";
import type { OsisWriteInDoubt, PersonRecord } from "../ledger/person-record.ts";

/**
 * OSIS writes carry no version: a PATCH whose answer never came may still land later, after
 * the person's next event was applied, and undo it. The account platform's writes carry one
 * (a late write is refused as a conflict), so these rules are the OSIS target's alone. The
 * doubt lives on the person's ledger item (`osisInDoubt`), so whichever invocation takes the
 * person's next event sees it (docs/consumer.md, "A write that may land late"):
 *
 * 1. A write is in doubt when the consumer stopped waiting for it without an answer (its
 *    timeout, a dropped connection, its own abort at the invocation's deadline) or with a
 *    gateway's 502 or 504 (the gateway gave up; the platform behind it may not have). Any other
 *    answer settles it: the platform said what it did.
 * 2. It is in doubt until `lateMs` (CONSUMER_OSIS_LATE_WRITE_SECONDS) after the consumer
 *    stopped waiting: the platform received it before then, and acts on a request within that
 *    bound or never.
 * 3. While a write of the other state is in doubt, the person's OSIS target waits until it is
 *    over: neither a write nor "already as wanted" can be trusted before then (landing, it would
 *    undo the one and falsify the other). A write of the same state needs no wait: landing late,
 *    it sets what is wanted anyway, so an event's own retries are never held.
 * 4. A second write in doubt of the same state extends the doubt to the later end; one of the
 *    other state (possible only once the first is over, by rule 3) replaces it.
 * 5. Once over, the doubt is dropped the next time the person's OSIS target is done: it can no
 *    longer land, and forgetting it changes nothing.
 * 6. A hold is a wait, not a failure of the event: the attempt it ended is given back, so that
 *    waiting for another event's write never brings this one nearer the DLQ
 *    (`retries_exhausted`). A hold lasts at most `lateMs`, so the waits are bounded.
 */

/** Rule 1: the gateway answers behind which the platform may still act on the write. */
const GATEWAY_GAVE_UP: ReadonlySet<number | undefined> = new Set([undefined, 502, 504]);

/** Rule 1: `error`, thrown by an OSIS write, leaves it in doubt. */
export function leftInDoubt(error: unknown): boolean {
  return (
    error instanceof UnavailableError &&
    error.platform === "osis" &&
    GATEWAY_GAVE_UP.has(error.status)
  );
}

/** Rules 2 and 4: the record once a write of `active` was left in doubt at `now`. */
export function markInDoubt(
  record: PersonRecord,
  { active, now, lateMs }: { active: boolean; now: number; lateMs: number },
): PersonRecord {
  const until = now + lateMs;
  const earlier = record.osisInDoubt;
  const extended =
    earlier !== undefined && earlier.active === active && earlier.until > until
      ? earlier.until
      : until;
  const doubt: OsisWriteInDoubt = { active, since: now, until: extended };
  return { ...record, osisInDoubt: doubt, updatedAt: now };
}

/** Rule 3: until when the person's OSIS target must wait to be made `active`; undefined: not at all. */
export function heldUntil(record: PersonRecord, active: boolean, now: number): number | undefined {
  const doubt = record.osisInDoubt;
  if (doubt === undefined || doubt.active === active || doubt.until <= now) return undefined;
  return doubt.until;
}

/** Rule 6: the record with the attempt a hold ended given back. */
export function giveBackHeldAttempt(record: PersonRecord): PersonRecord {
  const current = record.inProgress;
  if (current === undefined || current.attempts <= 0) return record;
  return { ...record, inProgress: { ...current, attempts: current.attempts - 1 } };
}

/** Rule 5: the record without a doubt that is over. */
export function forgetSettled(record: PersonRecord, now: number): PersonRecord {
  const doubt = record.osisInDoubt;
  if (doubt === undefined || doubt.until > now) return record;
  const { osisInDoubt: _over, ...rest } = record;
  return rest;
}
