/**
 * How long the dead letters a command reads stay invisible to everyone else. A listing holds
 * every message it has read until it ends, so the timeout must outlast the whole listing (or
 * the whole redrive): too short and a message comes back during the run (it is then dropped as
 * a repeat, but a delete with its voided receipt handle fails); too long and a crashed run hides
 * the DLQ for that long. The CLI releases everything it read when it ends, so only a crash
 * (kill -9, lost network) leaves messages hidden, for at most this long.
 */

/** SQS's bounds on a visibility timeout. */
export const MIN_VISIBILITY_SECONDS = 30;
export const MAX_VISIBILITY_SECONDS = 12 * 60 * 60;

/** Time allowed per message: a receive of 10 takes well under a second. */
const READ_SECONDS_PER_MESSAGE = 0.2;
/** A redrive's ledger read, send and delete per message, before any `--rate` spacing. */
const MOVE_SECONDS_PER_MESSAGE = 1;

export function listingVisibilitySeconds(approximateMessages: number): number {
  return clamp(60 + approximateMessages * READ_SECONDS_PER_MESSAGE);
}

export function redriveVisibilitySeconds(
  approximateMessages: number,
  ratePerSecond: number | undefined,
): number {
  const perMessage =
    READ_SECONDS_PER_MESSAGE +
    Math.max(MOVE_SECONDS_PER_MESSAGE, ratePerSecond ? 1 / ratePerSecond : 0);
  return clamp(60 + approximateMessages * perMessage);
}

function clamp(seconds: number): number {
  return Math.min(MAX_VISIBILITY_SECONDS, Math.max(MIN_VISIBILITY_SECONDS, Math.ceil(seconds)));
}
