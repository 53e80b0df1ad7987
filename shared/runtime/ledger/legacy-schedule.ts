import { eventKey } from "../events/deduplication-id.ts";
import type { ChangeItem } from "./change-item.ts";
import type { CancelledChange, EventRef, PendingChange, PersonRecord } from "./person-record.ts";

/**
 * A person's item written before pending changes had items of their own holds at most one
 * change in a `scheduled` slot (with its body, and the due-changes index's attributes on the
 * person's item itself) and the newest settled one in `settledSchedule`. Read, such an item
 * becomes today's shape: the slot one of the pending changes, the settlement a cancelled
 * change. Whoever then writes the item under its claim writes the change's own item first
 * (`change`), so a pending termination is never lost in the move.
 */
interface LegacySlots {
  scheduled?: EventRef & {
    effectiveAt: number;
    body: string;
    scheduledAt: number;
    enqueuedAt?: number;
  };
  settledSchedule?: { key: string; time: number };
}

export function fromLegacySlots(item: PersonRecord & LegacySlots): {
  record: PersonRecord;
  change: ChangeItem | undefined;
} {
  const { scheduled, settledSchedule, ...record } = item;
  if (scheduled === undefined && settledSchedule === undefined)
    return { record, change: undefined };
  const pending = record.pendingChanges ?? [];
  const cancelled = record.cancelledChanges ?? [];
  let change: ChangeItem | undefined;
  let pendingChanges: PendingChange[] = pending;
  if (scheduled !== undefined && !pending.some((p) => eventKey(p) === eventKey(scheduled))) {
    const { body, ...listed } = scheduled;
    change = { ...listed, subject: record.subject, body };
    pendingChanges = [...pending, listed].sort((a, b) => a.effectiveAt - b.effectiveAt);
  }
  const settled: CancelledChange[] =
    settledSchedule === undefined || cancelled.some((c) => c.key === settledSchedule.key)
      ? []
      : [
          {
            key: settledSchedule.key,
            by: "a newer event (before pending changes had items)",
            at: settledSchedule.time,
          },
        ];
  return {
    record: { ...record, pendingChanges, cancelledChanges: [...cancelled, ...settled] },
    change,
  };
}
