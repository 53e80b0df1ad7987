import { randomUUID } from "node:crypto";
import { eventKey } from "../events/deduplication-id.ts";
import type { LifecycleEvent } from "../events/lifecycle-event.ts";
import {
  CORRECTS_ATTRIBUTE,
  isFromReconciliation,
  RECONCILE_SOURCE,
} from "../events/source-ownership.ts";
import type { PersonRecord } from "../ledger/person-record.ts";

/**
 * A corrective event re-asserts a person's newest applied event after reconciliation found the
 * platforms drifted from it. It is an ordinary lifecycle event (same type, the resolved ids as
 * targets) with one CloudEvents extension attribute at the top level naming the event it
 * re-asserts: `lifecyclecorrects` = that event's ledger key (`eventKey`). The consumer applies it
 * only while that event is still the newest applied, and leaves the newest-applied marker alone
 * (shared/runtime/ledger/person-ledger-rules.ts), so it can neither be stale itself nor make a later
 * genuine event stale.
 */
/**
 * The key of the event a corrective event re-asserts; `undefined` for any other event. The
 * marker counts only on reconciliation's own events: on any other source it is ignored, and the
 * event is judged by its time like every other.
 */
export function correctedEventKey(event: LifecycleEvent): string | undefined {
  if (!isFromReconciliation(event)) return undefined;
  const value = event[CORRECTS_ATTRIBUTE];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * The corrective event for a person, or `undefined` when the ledger does not hold what it
 * needs (no applied event, or no platform id resolved).
 */
export function buildCorrectiveEvent(
  record: PersonRecord,
  now: number,
  id: string = randomUUID(),
): LifecycleEvent | undefined {
  const newest = record.newestApplied;
  const account = record.resolved?.accountPlatform;
  const osis = record.resolved?.osis;
  if (newest === undefined || (account === undefined && osis === undefined)) return undefined;
  return {
    specversion: "1.0",
    id,
    source: RECONCILE_SOURCE,
    type: newest.type,
    time: new Date(now).toISOString(),
    subject: record.subject,
    datacontenttype: "application/json",
    [CORRECTS_ATTRIBUTE]: eventKey(newest),
    data: {
      ...(account ? { accountPlatform: { userId: account.userId } } : {}),
      ...(osis ? { osis: { tenantId: osis.tenantId, userId: osis.userId } } : {}),
      reason: `reconciliation: re-asserts ${newest.type} event ${newest.id} from ${newest.source}`,
    },
  };
}
