import { createHash } from "node:crypto";
import type {
  LifecycleChangeOutcome,
  OutcomeEventRef,
  OutcomeFailure,
  OutcomeKind,
  OutcomeTarget,
  OutcomeTargetName,
} from "../../../schemas/lifecycle-change-outcome.ts";

/** What a decision was, as the part that reached it knows it (the consumer, the CLI). */
export interface OutcomeFacts {
  outcome: OutcomeKind;
  /** When it was reached, epoch ms. */
  at: number;
  attempt?: number | undefined;
  event: OutcomeEventRef;
  /** The platforms the event names, in the event's order. */
  named: readonly OutcomeTargetName[];
  /** `applied`: the platforms written now (the others named were already as wanted). */
  written?: readonly OutcomeTargetName[] | undefined;
  /** The DLQ reason of a letter (dead_lettered, dry_run, redriven, discarded). */
  reason?: string | undefined;
  failure?: OutcomeFailure | undefined;
  dlqMessageId?: string | undefined;
  /** More about a target's write, passed through onto its entry (its schema allows more fields). */
  targetFacts?: Partial<Record<OutcomeTargetName, Record<string, unknown>>> | undefined;
}

/**
 * The detail of the outcome event for `facts`. The rules, in order:
 *
 * 1. `outcomeId` is a hash of the event key (`source`, `id`), the outcome and, for a letter,
 *    its DLQ message id (else its attempt). Applied, scheduled, cancelled and stale leave the
 *    attempt out: the ledger lets an event reach each of them once. Applied: once applied,
 *    the event is a duplicate, or stale behind the newer applied one once its history entry
 *    is gone (person-ledger-rules.ts). Scheduled: while pending, the event again is a
 *    duplicate, and once due it ends applied (the scheduler's re-enqueue is a new message,
 *    with another outcome). Cancelled and stale: again, the same decision, the same id. A
 *    letter is dead-lettered, redriven or discarded once under its own message id. So the id
 *    differs between two outcomes, while a publish retried, kept in the outbox and published
 *    by the scheduler, or published again for a redelivery of the message that reached it
 *    (consumer/redelivered-outcome.ts), carries the same one.
 * 2. Each platform the event names has one entry; what it says follows TARGET_RESULTS.
 * 3. A dead letter's platform is `failed`, with the status it answered.
 * 4. A target's further facts pass through onto its entry, its own fields kept.
 */
export function outcomeDetail(facts: OutcomeFacts): LifecycleChangeOutcome {
  const { event } = facts;
  return {
    outcomeId: outcomeIdOf(facts),
    outcome: facts.outcome,
    at: new Date(facts.at).toISOString(),
    ...(facts.attempt === undefined ? {} : { attempt: facts.attempt }),
    ...(facts.reason === undefined ? {} : { reason: facts.reason }),
    event: withoutUndefined(event),
    targets: facts.named.map((target) => targetEntry(target, facts)),
    ...(facts.failure === undefined ? {} : { failure: withoutUndefined(facts.failure) }),
    ...(facts.dlqMessageId === undefined ? {} : { dlqMessageId: facts.dlqMessageId }),
  };
}

/** Rule 2: what each outcome did on a platform it names. */
const TARGET_RESULTS: Record<
  OutcomeKind,
  (target: OutcomeTargetName, facts: OutcomeFacts) => OutcomeTarget["result"]
> = {
  applied: (target, facts) => (facts.written?.includes(target) ? "changed" : "already"),
  dead_lettered: (target, facts) => (facts.failure?.target === target ? "failed" : "skipped"),
  scheduled: () => "skipped",
  cancelled: () => "skipped",
  stale: () => "skipped",
  dry_run: () => "skipped",
  redriven: () => "skipped",
  discarded: () => "skipped",
};

function targetEntry(target: OutcomeTargetName, facts: OutcomeFacts): OutcomeTarget {
  const result = TARGET_RESULTS[facts.outcome](target, facts);
  // Rule 3.
  const status = result === "failed" ? facts.failure?.status : undefined;
  // Rule 4: what the target adds cannot overwrite what the outcome says.
  return {
    ...facts.targetFacts?.[target],
    target,
    result,
    ...(status === undefined ? {} : { status }),
  };
}

/** Rule 1: the outcomes an event reaches once, whatever its attempt. */
const REACHED_ONCE: ReadonlySet<OutcomeKind> = new Set([
  "applied",
  "scheduled",
  "cancelled",
  "stale",
]);

/** Rule 1. */
function outcomeIdOf(facts: OutcomeFacts): string {
  const { event } = facts;
  const parts = [event.source ?? null, event.id ?? null, facts.outcome];
  const once = REACHED_ONCE.has(facts.outcome);
  parts.push(facts.dlqMessageId ?? (once ? "" : String(facts.attempt ?? "")));
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 32);
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
