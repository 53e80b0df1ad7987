import type { FailureTarget } from "../../contract/dead-letter-attributes.ts";
import type { LifecycleEvent } from "../events/lifecycle-event.ts";
import type { OutcomeFacts } from "../outcomes/outcome-detail.ts";
import type { EventSummary, RecordOutcome, RecordOutcomeKind } from "./outcome.ts";

/** The fields of `event` its outcome event repeats, and the platforms it names. */
export function summarizeEvent(event: LifecycleEvent): EventSummary {
  const targets: FailureTarget[] = [];
  if (event.data.accountPlatform !== undefined) targets.push("account-platform");
  if (event.data.osis !== undefined) targets.push("osis");
  return {
    id: event.id,
    source: event.source,
    subject: event.subject,
    type: event.type,
    time: event.time,
    effectiveAt: event.data.effectiveAt,
    targets,
  };
}

/**
 * Which record outcomes are published, as which outcome: a decision the consumer reached. A
 * duplicate is no new decision: it publishes only what its own message reached before
 * (`reached`, redelivered-outcome.ts), as it was reached. `retried` and `untried` are none yet
 * (the record comes back). A dry-run plan is a letter too, published as `dry_run`.
 */
const PUBLISHED: Record<
  RecordOutcomeKind,
  (outcome: RecordOutcome) => OutcomeFacts["outcome"] | undefined
> = {
  applied: () => "applied",
  scheduled: () => "scheduled",
  cancelled: () => "cancelled",
  stale: () => "stale",
  dead_lettered: (outcome) => (outcome.reason === "dry_run" ? "dry_run" : "dead_lettered"),
  duplicate: (outcome) => outcome.reached?.outcome,
  retried: () => undefined,
  untried: () => undefined,
};

/** What the outcome event of a record says; undefined when the record publishes none. */
export function publishedFacts(record: RecordOutcome, now: number): OutcomeFacts | undefined {
  const outcome = PUBLISHED[record.outcome](record);
  if (outcome === undefined) return undefined;
  const { targets, ...event } = record.event ?? { targets: [] };
  const letter = outcome === "dead_lettered" || outcome === "dry_run";
  const { reached } = record;
  // A redelivered dead letter is told by what the ledger kept of it (redelivered-outcome.ts).
  const failed = reached?.outcome === "dead_lettered" ? reached : record;
  return {
    outcome,
    at: reached?.at ?? record.at ?? now,
    attempt: record.attempts,
    // An event that could not be read (or a BambooHR signal not read back) is known by what
    // its body showed.
    event:
      record.event === undefined
        ? { id: record.eventId, subject: record.subject, type: record.eventType }
        : event,
    named: targets,
    written: reached ? reached.written : record.written,
    reason: letter ? failed.reason : undefined,
    failure:
      outcome === "dead_lettered" && failed.reason !== undefined
        ? {
            reason: failed.reason,
            target: failed.target,
            status: record.status,
            detail: record.detail,
          }
        : undefined,
    dlqMessageId: letter ? failed.dlqMessageId : undefined,
    targetFacts: record.targetFacts,
  };
}
