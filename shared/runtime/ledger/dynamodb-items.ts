import {
  CHANGE_KEY_PREFIX,
  DUE_CHANGES_INDEX,
  LEDGER_PARTITION_KEY,
  PERSON_KEY_PREFIX,
  type ScheduleState,
} from "../../contract/ledger-keys.ts";
import { eventKey } from "../events/deduplication-id.ts";
import { type ChangeItem, changeKey, subjectOfChangeKey } from "./change-item.ts";
import { type PersonRecord, personKey } from "./person-record.ts";

// The ledger's records as DynamoDB items: the key, and for a pending change the due-changes
// index's attributes, added on the way in and dropped on the way out.

/** A row of the due-changes index, as `scheduledChanges` yields it. */
export interface DueChange {
  key: string;
  subject: string;
  dueAt: number;
  legacy: boolean;
}

/** The record and its key. */
export function personItem(record: PersonRecord): Record<string, unknown> {
  return { ...record, [LEDGER_PARTITION_KEY]: personKey(record.subject) };
}

export function personOf(item: Record<string, unknown>): PersonRecord {
  // A person's item of before pending changes had items of their own may still carry the index's
  // attributes (legacy-schedule.ts): dropped, so the next write takes it out of the index.
  const record = withoutKeys(item) as unknown as PersonRecord;
  return { ...record, history: record.history ?? [] };
}

/** A pending change's item: `waiting` in the due-changes index until it is enqueued. */
export function changeItem(change: ChangeItem): Record<string, unknown> {
  const state: ScheduleState = change.enqueuedAt === undefined ? "waiting" : "enqueued";
  return {
    ...change,
    [LEDGER_PARTITION_KEY]: changeKey(change.subject, eventKey(change)),
    [DUE_CHANGES_INDEX.partitionKey]: state,
    [DUE_CHANGES_INDEX.sortKey]: change.effectiveAt,
  };
}

export function changeOf(item: Record<string, unknown>): ChangeItem {
  return withoutKeys(item) as unknown as ChangeItem;
}

/** The change a row of the due-changes index names; undefined for an item of another kind. */
export function dueChangeOf(keys: Record<string, unknown>): DueChange | undefined {
  const key = String(keys[LEDGER_PARTITION_KEY]);
  const dueAt = Number(keys[DUE_CHANGES_INDEX.sortKey]);
  // A person's item still holding its change in the slot of before (legacy-schedule.ts).
  if (key.startsWith(PERSON_KEY_PREFIX)) {
    return { key, subject: key.slice(PERSON_KEY_PREFIX.length), dueAt, legacy: true };
  }
  if (key.startsWith(CHANGE_KEY_PREFIX)) {
    return { key, subject: subjectOfChangeKey(key), dueAt, legacy: false };
  }
  return undefined;
}

function withoutKeys(item: Record<string, unknown>): Record<string, unknown> {
  const {
    [LEDGER_PARTITION_KEY]: _key,
    [DUE_CHANGES_INDEX.partitionKey]: _state,
    [DUE_CHANGES_INDEX.sortKey]: _dueAt,
    ...rest
  } = item;
  return rest;
}
