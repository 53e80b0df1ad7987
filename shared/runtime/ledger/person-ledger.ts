import type { ChangeItem } from "./change-item.ts";
import type { LedgerReader, PersonRecord } from "./person-record.ts";

/**
 * What the consumer needs of the ledger. A claim is a conditional write on the person's item:
 * while it holds, only its owner writes the item, so two invocations never apply events of one
 * person at once. Every write is a single-item conditional write (the local stand-in has no
 * transactions).
 */
export interface PersonLedger extends LedgerReader {
  /** Takes the person's claim, creating the item if needed; `claimed: false` while another holds it. */
  claim(subject: string, claim: ClaimRequest): Promise<ClaimResult>;
  /** Writes the record (claim kept) if `owner` still holds the claim; ClaimLostError otherwise. */
  save(record: PersonRecord, owner: string): Promise<PersonRecord>;
  /** Writes the record without the claim if `owner` still holds it; ClaimLostError otherwise. */
  release(record: PersonRecord, owner: string): Promise<PersonRecord>;
  /** Writes a pending change's own item, before the person's item lists it (change-item.ts). */
  putChange(change: ChangeItem): Promise<void>;
  /** Deletes a pending change's item, once the person's item no longer lists it. */
  deleteChange(subject: string, eventKey: string): Promise<void>;
  /**
   * Records that this account platform user is this person (account-user-item.ts), unless
   * another subject was recorded first.
   */
  rememberAccountUser(accountUserId: string, subject: string): Promise<void>;
}

export interface ClaimRequest {
  /** Unique per attempt at a record (invocation + message). */
  owner: string;
  /** Epoch ms after which another invocation may take the claim over. */
  expiresAt: number;
  now: number;
}

export type ClaimResult =
  | { claimed: true; record: PersonRecord }
  | { claimed: false; expiresAt: number | undefined };
