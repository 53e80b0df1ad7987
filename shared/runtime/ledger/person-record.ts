import type { FailureReason, FailureTarget } from "../../contract/dead-letter-attributes.ts";
import type { LifecycleEventType } from "../../contract/event-types.ts";
import { PERSON_KEY_PREFIX } from "../../contract/ledger-keys.ts";

/**
 * The ledger's record of one person (DynamoDB item with `pk` = `PERSON#<subject>`).
 * Times are epoch milliseconds. This is the shape the consumer writes and the CLI,
 * reconciliation and the local demo read.
 */
export const personKey = (subject: string): string => `${PERSON_KEY_PREFIX}${subject}`;

export type TargetName = FailureTarget;

export interface EventRef {
  source: string;
  id: string;
  type: LifecycleEventType;
  /** The event's `time`, epoch ms. */
  time: number;
  /** When the product first received the event, epoch ms (absent: not known, or before it was kept). */
  arrivedAt?: number;
  /** The earlier of `time` and `arrivedAt`: what orders decisions (timeline-rules.ts, rule 1). */
  decidedAt?: number;
}

export interface ResolvedTargets {
  accountPlatform?: { userId: string };
  osis?: { tenantId: string; userId: string };
}

export type HistoryOutcome =
  | "applied"
  | "duplicate"
  | "stale"
  | "dead_lettered"
  | "failed_attempt"
  | "corrected"
  | "scheduled"
  | "cancelled";

export interface HistoryEntry extends EventRef {
  outcome: HistoryOutcome;
  reason?: FailureReason;
  /** When the outcome was recorded, epoch ms. */
  at: number;
  /** The target a failure came from, when one did. */
  target?: TargetName;
  /** The SQS message that carried the event. */
  messageId?: string;
  /** `dead_lettered`: the letter's own message id in the DLQ (its outcome event names it). */
  dlqMessageId?: string;
  /** `scheduled`: when the change takes effect, epoch ms. */
  effectiveAt?: number;
  /** `cancelled`: what settled it, an event key or `operator:<who>`. */
  cancelledBy?: string;
  /**
   * `applied`: the targets written by the attempt that applied it (the others it names were
   * already as wanted), so its outcome can be published again as it was first.
   */
  written?: TargetName[];
}

/**
 * A change recorded for later (an event whose `data.effectiveAt` was still ahead), as the
 * person's item lists it: the authority. Its body waits in a `CHANGE#` item of its own
 * (change-item.ts), which carries the due-changes index's attributes.
 */
export interface PendingChange extends EventRef {
  /** When it takes effect, epoch ms. */
  effectiveAt: number;
  scheduledAt: number;
  /** When the scheduler put it back on the queue; from then on it is an ordinary queued event. */
  enqueuedAt?: number;
}

/** A pending change that was cancelled: its event is never applied. */
export interface CancelledChange {
  /** The event key of the change. */
  key: string;
  /** What cancelled it: the key of a newer event, or `operator:<who>`. */
  by: string;
  at: number;
}

export interface InProgressEvent extends EventRef {
  /** Real attempts at this event (not SQS receives). */
  attempts: number;
  /** Targets already in the wanted state for this event: a retry skips them. */
  done: TargetName[];
  /** Platform ids resolved for this event so far (kept for `resolved` once applied). */
  resolved?: ResolvedTargets;
  /**
   * The OSIS S3 keys (access key ids) that were inactive before this event changed the user,
   * read once before the user's write: a retry after it must not take keys the platform
   * switched with the user for keys that were so before (osis-key-rules.ts, rule 2).
   */
  osisKeysInactiveBefore?: string[];
  /**
   * Set just before the consumer sends the event to the DLQ: should it stop before recording
   * the send, the redelivery sends the same letter again (same deduplication id) instead of
   * trying the platforms once more (the dead-letter rules in person-ledger-rules.ts).
   */
  pendingDeadLetter?: PendingDeadLetter;
}

export interface PendingDeadLetter {
  reason: FailureReason;
  target?: TargetName;
  status?: number;
  detail?: string;
  /** The attempt the failure happened in: part of the DLQ deduplication id. */
  attempt: number;
  /** The source message, also part of the DLQ deduplication id. */
  messageId: string;
  /** When the failure was decided, epoch ms (`lifecycle.failure.at`). */
  at: number;
}

/** An OSIS write that got no answer: it may land until `until` (epoch ms). */
export interface OsisWriteInDoubt {
  /** The state it asked for. */
  active: boolean;
  /** When the consumer stopped waiting for its answer. */
  since: number;
  until: number;
}

export interface PersonRecord {
  subject: string;
  /** `effectiveAt`: its `data.effectiveAt`, when it had one (epoch ms). */
  newestApplied?: EventRef & { appliedAt: number; effectiveAt?: number };
  /** What the newest applied event asked for: enabled/active (true) or disabled (false). */
  desiredEnabled?: boolean;
  resolved?: ResolvedTargets;
  /** The account platform user whose `ACCOUNTUSER#` item was written for this person. */
  rememberedAccountUserId?: string;
  inProgress?: InProgressEvent;
  claim?: { owner: string; expiresAt: number };
  /** The person's pending changes, soonest first (timeline-rules.ts). */
  pendingChanges?: PendingChange[];
  /** The newest cancelled changes, newest first, bounded (schedule-rules.ts). */
  cancelledChanges?: CancelledChange[];
  /** An OSIS write that got no answer and may still land (consumer/late-write-rules.ts). */
  osisInDoubt?: OsisWriteInDoubt;
  /** Newest first, bounded (see docs/architecture.md for the retention). */
  history: HistoryEntry[];
  /** What the person's last offboard or rehire did to their OSIS S3 keys. */
  osisKeys?: OsisKeysRecord;
  updatedAt: number;
}

/** The OSIS S3 keys an offboard or a rehire changed, by access key id only (never a secret). */
export interface OsisKeysRecord {
  /** `offboard`: the keys were turned off; `rehire`: back on. */
  change: "offboard" | "rehire";
  /** The event that did it (its event key). */
  event: string;
  /** When the keys were checked, epoch ms. */
  at: number;
  /** Keys this product turned off (itself, or through the user), to turn on at a rehire. */
  deactivated: string[];
  /** Keys that were off before the offboard: a rehire leaves them off. */
  alreadyInactive: string[];
  /** `rehire`: the keys turned back on. */
  reactivated?: string[];
  /** OSIS answered updateCredentialStatus with 501: the platform manages keys with the user. */
  platformManaged?: boolean;
}

/** What the CLI and reconciliation need to read. */
export interface LedgerReader {
  getPerson(subject: string): Promise<PersonRecord | undefined>;
  /** Every person, page by page (a Scan of the PERSON# items). */
  listPeople(): AsyncIterable<PersonRecord>;
}

/** One page of people, and the ledger key to continue after (absent at the end). */
export interface PeoplePage {
  people: PersonRecord[];
  next?: string;
}

/** The people, a page at a time from a cursor: what a reconciliation pass walks. */
export interface PeoplePages {
  listPeoplePage(
    after: string | undefined,
    limit?: number,
    signal?: AbortSignal,
  ): Promise<PeoplePage>;
}
