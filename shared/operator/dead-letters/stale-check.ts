import { judgeArrival } from "../../runtime/consumer/arrival-verdict.ts";
import type { LifecycleEvent } from "../../runtime/events/lifecycle-event.ts";
import type { EventRef, PersonRecord } from "../../runtime/ledger/person-record.ts";

/**
 * Whether a dead letter is still worth redriving, judged exactly as the consumer will judge it
 * (the same `judgeArrival`: the ledger rules, then the timeline rule against the person's
 * pending changes, with the event's first arrival kept):
 * - `stale`: it governs no instant from now on: a newer event of the same person was applied
 *   since (a rehire after the offboard that failed), or a newer pending change covers every
 *   instant it would, or it is a change that was cancelled. Redriving it would be acknowledged
 *   without effect by the consumer, and must not be forced without `--include-stale`.
 * - `duplicate`: this very event was applied after all (it was redriven or re-sent before), or
 *   it is a pending change already.
 * - `redrive`: it would be applied, or scheduled for its effective time.
 * A corrective event from reconciliation is judged as the consumer judges it: stale once the
 * event it re-asserts is no longer the newest applied.
 * The dead letter's own reason does not count: an event held by the mass-offboarding guard
 * (`held_by_guard`) was never applied, so it is redriven like any other unless something newer
 * governs meanwhile.
 */
export type RedriveVerdict =
  | { kind: "redrive" }
  /** `newestApplied` is absent only when no applied event is what made it stale. */
  | { kind: "stale"; newestApplied: EventRef | undefined }
  | { kind: "duplicate" };

export function judgeForRedrive(
  record: PersonRecord | undefined,
  event: LifecycleEvent,
  at: { now: number; arrivedAt: number | undefined } = { now: Date.now(), arrivedAt: undefined },
): RedriveVerdict {
  const verdict = judgeArrival(record, event, at);
  if (verdict === "stale" || verdict === "cancelled") {
    return { kind: "stale", newestApplied: record?.newestApplied };
  }
  if (verdict === "duplicate") return { kind: "duplicate" };
  return { kind: "redrive" };
}
