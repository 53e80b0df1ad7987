import { eventKey } from "../events/deduplication-id.ts";
import type { PersonLedger } from "../ledger/person-ledger.ts";
import type { PersonRecord } from "../ledger/person-record.ts";
import { describeError, type Logger } from "../logging/logger.ts";

/**
 * A person's ledger record while this attempt holds the claim: every change is written under
 * the claim, and the claim is given back exactly once. A pending change the written record no
 * longer lists (applied, cancelled) has its own item deleted after the write: the person's
 * item is the authority, so a delete that fails leaves an orphan the scheduler ignores.
 */
export class ClaimedPerson {
  readonly #ledger: PersonLedger;
  readonly #owner: string;
  readonly #logger: Logger;
  #record: PersonRecord;
  /** As last written (or claimed): whose pending changes' items exist. */
  #written: PersonRecord;
  #released = false;

  constructor(ledger: PersonLedger, owner: string, record: PersonRecord, logger: Logger) {
    this.#ledger = ledger;
    this.#owner = owner;
    this.#record = record;
    this.#written = record;
    this.#logger = logger;
  }

  get record(): PersonRecord {
    return this.#record;
  }

  async save(next: PersonRecord): Promise<void> {
    this.#record = await this.#ledger.save(next, this.#owner);
    await this.#deleteUnlisted();
  }

  /** Holds a change in memory only: the next save or release writes it. */
  stage(next: PersonRecord): void {
    this.#record = next;
  }

  /** Writes the final record without the claim. */
  async release(next: PersonRecord = this.#record): Promise<void> {
    this.#record = await this.#ledger.release(next, this.#owner);
    this.#released = true;
    await this.#deleteUnlisted();
  }

  async #deleteUnlisted(): Promise<void> {
    const before = this.#written;
    this.#written = this.#record;
    const listed = new Set((this.#record.pendingChanges ?? []).map((change) => eventKey(change)));
    for (const change of before.pendingChanges ?? []) {
      const key = eventKey(change);
      if (listed.has(key)) continue;
      await this.#ledger.deleteChange(this.#record.subject, key).catch((error: unknown) =>
        this.#logger.warn("Could not delete a settled change's item; the scheduler ignores it", {
          eventId: change.id,
          error: describeError(error),
        }),
      );
    }
  }

  /** After a failure: give the claim back if still held; a failure here only delays (it expires). */
  async releaseQuietly(logger: Logger): Promise<void> {
    if (this.#released) return;
    try {
      await this.release();
    } catch (error) {
      logger.warn("Could not release the ledger claim; it will expire", {
        error: describeError(error),
      });
    }
  }
}
