import type { PersonLedger } from "../ledger/person-ledger.ts";
import type { PersonRecord } from "../ledger/person-record.ts";
import { describeError, type Logger } from "../logging/logger.ts";

/**
 * A person's ledger record while this attempt holds the claim: every change is written under
 * the claim, and the claim is given back exactly once.
 */
export class ClaimedPerson {
  readonly #ledger: PersonLedger;
  readonly #owner: string;
  #record: PersonRecord;
  #released = false;

  constructor(ledger: PersonLedger, owner: string, record: PersonRecord) {
    this.#ledger = ledger;
    this.#owner = owner;
    this.#record = record;
  }

  get record(): PersonRecord {
    return this.#record;
  }

  async save(next: PersonRecord): Promise<void> {
    this.#record = await this.#ledger.save(next, this.#owner);
  }

  /** Holds a change in memory only: the next save or release writes it. */
  stage(next: PersonRecord): void {
    this.#record = next;
  }

  /** Writes the final record without the claim. */
  async release(next: PersonRecord = this.#record): Promise<void> {
    this.#record = await this.#ledger.release(next, this.#owner);
    this.#released = true;
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
