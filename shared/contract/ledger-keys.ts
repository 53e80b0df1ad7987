/**
 * The ledger table's keys: what infra defines in CDK, the local stack creates, and every
 * reader and writer uses. Each kind of item has its prefix; `#` cannot occur in a subject, so
 * no person item can collide with another kind.
 */

/** The table's one key attribute (String). */
export const LEDGER_PARTITION_KEY = "pk";

/** One item per person: `PERSON#<subject>`. */
export const PERSON_KEY_PREFIX = "PERSON#";
/** One circuit breaker per platform: `PLATFORM#<platform>`. */
export const BREAKER_KEY_PREFIX = "PLATFORM#";
/** The mass-offboarding guard: tripped or not. */
export const GUARD_STATE_KEY = "GUARD#state";
/** The offboards counted in one fixed window: `GUARD#offboards#<bucket start, ISO>`. */
export const GUARD_BUCKET_PREFIX = "GUARD#offboards#";
/** The onboards' own count and trip (a mass re-enable): apart from the offboards'. */
export const GUARD_ONBOARDS_STATE_KEY = "GUARD#state#onboards";
export const GUARD_ONBOARDS_BUCKET_PREFIX = "GUARD#onboards#";
/** One item per pending change: `CHANGE#<subject>#<hash of the event key>`. */
export const CHANGE_KEY_PREFIX = "CHANGE#";
/** Reconciliation's passes over everyone: the cursor, counts and lease. */
export const RECONCILE_KEY_PREFIX = "RECONCILE#";
export const RECONCILE_PASS_KEY = `${RECONCILE_KEY_PREFIX}pass`;
/**
 * The person an account platform user is, as the consumer found it: `ACCOUNTUSER#<user id>`,
 * holding the subject of the first non-SCIM event that resolved that user. SCIM events take
 * that subject, so one person's HR and SCIM events share one order.
 */
export const ACCOUNT_USER_KEY_PREFIX = "ACCOUNTUSER#";
/**
 * The SCIM function's items, and only its: `SCIM#link#<account user id>` (the identity
 * provider's link to a user), `SCIM#external#<externalId>` (the user an externalId names) and
 * `SCIM#deprovisioned` (the users deleted over SCIM, left out of listings).
 */
export const SCIM_KEY_PREFIX = "SCIM#";
export const SCIM_LINK_KEY_PREFIX = `${SCIM_KEY_PREFIX}link#`;
export const SCIM_EXTERNAL_ID_KEY_PREFIX = `${SCIM_KEY_PREFIX}external#`;
export const SCIM_DEPROVISIONED_KEY = `${SCIM_KEY_PREFIX}deprovisioned`;

/**
 * The sparse index of scheduled changes (docs/architecture.md, "Scheduled changes"): only a
 * pending change's own item (`CHANGE#…`) carries its two attributes, so the scheduler
 * queries what is due instead of scanning. Partition: `waiting` until the scheduler puts the
 * change back on the queue, `enqueued` after; sort: when it takes effect (epoch ms). Keys only.
 */
export const DUE_CHANGES_INDEX = {
  name: "due-changes",
  partitionKey: "scheduleState",
  sortKey: "scheduleDueAt",
} as const;
export type ScheduleState = "waiting" | "enqueued";

/**
 * An outcome event EventBridge did not take: `OUTBOX#<outcomeId>`, holding the event, in the
 * due-changes index under its own partition value (`outbox`, due when it was kept), so the
 * scheduler's next run finds it with one Query and publishes it (never a second index: a
 * table update adds at most one).
 */
export const OUTBOX_KEY_PREFIX = "OUTBOX#";
export const OUTBOX_SCHEDULE_STATE = "outbox";
