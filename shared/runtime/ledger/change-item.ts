import { createHash } from "node:crypto";
import { CHANGE_KEY_PREFIX } from "../../contract/ledger-keys.ts";
import type { PendingChange } from "./person-record.ts";

/**
 * A pending change's own ledger item (`pk` = `CHANGE#<subject>#<hash of the event key>`): the
 * body the scheduler puts back on the queue, and the due-changes index's attributes (an item
 * projects at most one entry into an index, so a person with several pending changes needs an
 * item per change). The person's item lists the change and stays the authority: a change item
 * it does not list is an orphan (written before a crash, or left by a cancel) and is deleted,
 * never enqueued.
 */

export interface ChangeItem extends PendingChange {
  subject: string;
  /** The message body as it arrived: the scheduler puts it back on the queue unchanged. */
  body: string;
}

export function changeKey(subject: string, eventKey: string): string {
  const hash = createHash("sha256").update(eventKey).digest("hex");
  return `${CHANGE_KEY_PREFIX}${subject}#${hash}`;
}

/** The subject in a change item's key (the hash holds no `#`). */
export function subjectOfChangeKey(key: string): string {
  return key.slice(CHANGE_KEY_PREFIX.length, key.lastIndexOf("#"));
}
