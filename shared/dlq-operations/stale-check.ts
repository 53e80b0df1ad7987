import type { LifecycleEvent } from "../events/lifecycle-event.ts";
import { judgeEvent, refOf } from "../ledger/person-ledger-rules.ts";
import type { EventRef, PersonRecord } from "../ledger/person-record.ts";
import { correctedEventKey } from "../reconcile/corrective-event.ts";

/**
 * Whether a dead letter is still worth redriving, judged by the ledger exactly as the consumer
 * will judge it (the same `judgeEvent`):
 * - `stale`: a newer event of the same person was applied since (a rehire after the offboard
 *   that failed): redriving it would be acknowledged as stale by the consumer, and must not be
 *   forced without `--include-stale`.
 * - `duplicate`: this very event was applied after all (it was redriven or re-sent before).
 * - `redrive`: nothing newer was applied.
 * A corrective event from reconciliation is judged as the consumer judges it: stale once the
 * event it re-asserts is no longer the newest applied.
 * Only the ledger's applied events count. The dead letter's own reason does not: an event held
 * by the mass-offboarding guard (`held_by_guard`) was never applied, so it is redriven like any
 * other unless a newer event of that person was applied meanwhile.
 */
export type RedriveVerdict =
  | { kind: "redrive" }
  /** `newestApplied` is absent only for a corrective event whose event is gone from the ledger. */
  | { kind: "stale"; newestApplied: EventRef | undefined }
  | { kind: "duplicate" };

export function judgeForRedrive(
  record: PersonRecord | undefined,
  event: LifecycleEvent,
): RedriveVerdict {
  const verdict = judgeEvent(record, refOf(event), correctedEventKey(event));
  if (verdict === "stale") return { kind: "stale", newestApplied: record?.newestApplied };
  if (verdict === "duplicate") return { kind: "duplicate" };
  return { kind: "redrive" };
}
