import type { FailureTarget } from "../../contract/dead-letter-attributes.ts";
import { WriteInDoubtError } from "../errors/write-in-doubt-error.ts";
import { effectiveAtMs, type LifecycleEvent, wantsEnabled } from "../events/lifecycle-event.ts";
import {
  completeApplied,
  type EventStep,
  inProgressOf,
  markDeadLetterPending,
  recordFailedAttempt,
  startAttempt,
} from "../ledger/person-ledger-rules.ts";
import type { PendingDeadLetter } from "../ledger/person-record.ts";
import { settleSchedule } from "../ledger/schedule-rules.ts";
import { correctedEventKey } from "../reconcile/corrective-event.ts";
import { applyTargets, waitingFor } from "./apply-targets.ts";
import type { ClaimedPerson } from "./claimed-person.ts";
import { decide, failedOutcome, pendingDeadLetter } from "./dead-lettering.ts";
import { classifyFailure } from "./failure-classification.ts";
import type { FailureDecision } from "./failure-decision.ts";
import { giveBackHeldAttempt } from "./late-write-rules.ts";
import type {
  ProcessedRecord,
  RecordContext,
  RecordIdentity,
  RecordSteps,
} from "./record-steps.ts";
import type { SqsRecordLike } from "./sqs-record.ts";
import { s3KeysOutcomeOf } from "./targets/osis-keys-step.ts";

/**
 * One attempt at the event (not counted while only platforms with an open breaker are left):
 * applied, failed for now, or a dead letter decided and written to the ledger before it is sent.
 */
export async function attemptEvent(
  steps: RecordSteps,
  record: SqsRecordLike,
  event: LifecycleEvent,
  seen: RecordIdentity,
  person: ClaimedPerson,
  step: () => EventStep,
  context: RecordContext,
): Promise<ProcessedRecord | PendingDeadLetter> {
  const { event: ref } = step();
  const corrects = correctedEventKey(event);
  // A corrective event re-asserts the applied state: it settles no scheduled change.
  const settled =
    corrects === undefined ? settleSchedule(step(), effectiveAtMs(event)) : person.record;
  // Only platforms whose breaker is open are left: wait for them, no attempt counted.
  const done = inProgressOf(person.record, ref, record.messageId)?.done;
  const waiting = await waitingFor(steps, event, done);
  if (!waiting) await person.save(startAttempt({ ...step(), record: settled }));
  else if (settled !== person.record) await person.save(settled);
  const attempt = inProgressOf(person.record, ref, record.messageId)?.attempts ?? 0;
  let written: FailureTarget[] | undefined;
  try {
    if (waiting) throw waiting;
    written = await applyTargets(steps, event, person, attempt, context);
    const wantEnabled = wantsEnabled(event);
    const applied = {
      ...step(),
      wantEnabled,
      corrects,
      effectiveAt: effectiveAtMs(event),
      written,
    };
    await person.release(completeApplied(applied));
    const s3Keys = s3KeysOutcomeOf(person.record, event);
    const facts = s3Keys ? { targetFacts: { osis: { s3Keys } } } : {};
    // `at`: the history entry's, which a redelivery publishes again (redelivered-outcome.ts).
    return { ...seen, outcome: "applied", attempts: attempt, written, at: applied.now, ...facts };
  } catch (error) {
    const failure = classifyFailure(error);
    // Held for another event's OSIS write that may still land: no attempt of this one counts.
    const held = error instanceof WriteInDoubtError;
    const counted = held ? attempt - 1 : attempt;
    // Every target is as wanted and only the ledger's completion is missing: wait for the
    // ledger however long it takes (a dead letter would ask an operator to redo what is
    // done). The next delivery finds the targets as wanted, writes nothing, and completes.
    const decision: FailureDecision =
      written !== undefined && failure.kind === "waiting"
        ? { action: "wait" }
        : decide(steps, record, failure, counted);
    if (decision.action !== "dead_letter") {
      // Waiting leaves no trace in the history: an outage would push the real entries out.
      const failed =
        decision.action === "retry"
          ? recordFailedAttempt({ ...step(), target: failure.target })
          : person.record;
      const next = held ? giveBackHeldAttempt(failed) : failed;
      const outcome = failedOutcome(seen, failure, counted, decision);
      // Without the ledger nothing can be recorded; the claim expires by itself.
      if (failure.kind === "waiting" && failure.reason === "ledger_unavailable") {
        await person.release(next).catch(() => undefined);
        return outcome;
      }
      await person.release(next);
      return outcome;
    }
    const pending = pendingDeadLetter(steps, record, failure, decision.reason, attempt);
    await person.save(markDeadLetterPending({ record: person.record, pending, now: steps.now() }));
    return pending;
  }
}
