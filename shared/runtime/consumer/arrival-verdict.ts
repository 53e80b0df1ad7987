import { effectiveAtMs, type LifecycleEvent } from "../events/lifecycle-event.ts";
import { deadLetterSent, judgeEvent, refOf } from "../ledger/person-ledger-rules.ts";
import type { EventRef, PendingChange, PersonRecord } from "../ledger/person-record.ts";
import {
  decisionOf,
  judgeDecision,
  outranks,
  type TimelineVerdict,
  timelineOf,
} from "../ledger/timeline-rules.ts";
import { correctedEventKey } from "../reconcile/corrective-event.ts";

/**
 * THE verdict on an event, before anything is written: the consumer, dry run, `lifecycle plan`
 * and the redrive stale check all ask this. This very message already in the DLQ (the
 * dead-letter rules: `messageId`, a real delivery only) is a duplicate; then the ledger rules
 * (an applied event again, or one the applied event outranks); then the timeline rule
 * (timeline-rules.ts) against the person's pending changes. A corrective event from
 * reconciliation is judged by the ledger rules alone. `arrivedAt`: when the product first
 * received the event (undefined: not known, its `time` orders it).
 */
export function judgeArrival(
  record: PersonRecord | undefined,
  event: LifecycleEvent,
  at: { now: number; arrivedAt: number | undefined; messageId?: string | undefined },
): TimelineVerdict {
  const ref = refOf(event, at.arrivedAt);
  if (record && at.messageId && deadLetterSent(record, ref, at.messageId)) return "duplicate";
  const corrects = correctedEventKey(event);
  const verdict = judgeEvent(record, ref, corrects);
  if (verdict !== "new") return verdict;
  if (corrects !== undefined) return "apply";
  return judgeDecision(timelineOf(record), decisionOf(ref, effectiveAtMs(event)), at.now);
}

/**
 * Why an event judged stale is stale: the applied event when it outranks the event, else the
 * soonest pending change the event does not outrank (the timeline rule, timeline-rules.ts).
 * `pending` is absent when the applied event is what made it stale (or nothing known did).
 */
export function supersededBy(
  record: PersonRecord | undefined,
  event: EventRef,
): { newestApplied: EventRef | undefined; pending?: PendingChange } {
  const newestApplied = record?.newestApplied;
  const decision = decisionOf(event);
  if (newestApplied !== undefined && !outranks(decision, decisionOf(newestApplied))) {
    return { newestApplied };
  }
  const pending = record?.pendingChanges?.find(
    (change) => !outranks(decision, decisionOf(change, change.effectiveAt)),
  );
  return pending === undefined ? { newestApplied } : { newestApplied, pending };
}
