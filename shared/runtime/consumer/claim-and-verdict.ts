import { effectiveAtMs, type LifecycleEvent } from "../events/lifecycle-event.ts";
import { type EventStep, inProgressOf, refOf } from "../ledger/person-ledger-rules.ts";
import { acknowledge, scheduleChange } from "../ledger/schedule-rules.ts";
import { judgeArrival } from "./arrival-verdict.ts";
import { ClaimedPerson } from "./claimed-person.ts";
import { failedWithoutLedger, sendDecidedDeadLetter } from "./dead-lettering.ts";
import { attemptEvent } from "./event-attempt.ts";
import { notBeforeDoubtEnds } from "./late-write-step.ts";
import type {
  ProcessedRecord,
  RecordContext,
  RecordIdentity,
  RecordSteps,
} from "./record-steps.ts";
import { outcomeReachedBy } from "./redelivered-outcome.ts";
import { arrivalOf, type SqsRecordLike } from "./sqs-record.ts";

/**
 * Claims the person in the ledger, then processes the event under the claim; the claim is
 * released whatever happens. A claim another invocation holds leaves the record retried.
 */
export async function processUnderClaim(
  steps: RecordSteps,
  record: SqsRecordLike,
  event: LifecycleEvent,
  seen: RecordIdentity,
  context: RecordContext,
): Promise<ProcessedRecord> {
  const { ledger } = steps.deps;
  const owner = `${context.invocationId}/${record.messageId}`;
  const claim = await ledger
    .claim(event.subject, { owner, expiresAt: context.claimExpiresAt, now: steps.now() })
    .catch((error: unknown) => ({ failed: error }) as const);
  if ("failed" in claim) return failedWithoutLedger(steps, record, seen, claim.failed, context);
  if (!claim.claimed) {
    return {
      ...seen,
      outcome: "retried",
      cause: "claim_held",
      detail: "another invocation holds this person's ledger claim",
    };
  }
  const person = new ClaimedPerson(ledger, owner, claim.record, context.logger);
  try {
    return await processClaimed(steps, record, event, seen, person, context);
  } catch (error) {
    // The ledger failed under us (or the claim was lost): nothing more can be recorded.
    const attempts = person.record.inProgress?.attempts;
    const failed = await failedWithoutLedger(steps, record, seen, error, context, attempts);
    return notBeforeDoubtEnds({ ...failed, attempts }, person.record, steps.now());
  } finally {
    await person.releaseQuietly(context.logger);
  }
}

/** Judge the event; apply it; record the outcome (the claim is released with it). */
async function processClaimed(
  steps: RecordSteps,
  record: SqsRecordLike,
  event: LifecycleEvent,
  seen: RecordIdentity,
  person: ClaimedPerson,
  context: RecordContext,
): Promise<ProcessedRecord> {
  const arrivedAt = arrivalOf(record);
  const ref = refOf(event, arrivedAt);
  const step = (): EventStep => ({
    record: person.record,
    event: ref,
    now: steps.now(),
    policy: steps.history,
    messageId: record.messageId,
  });
  const effectiveAt = effectiveAtMs(event);
  const at = { now: steps.now(), arrivedAt, messageId: record.messageId };
  const verdict = judgeArrival(person.record, event, at);
  const newest = person.record.newestApplied;
  if (
    verdict === "stale" &&
    newest !== undefined &&
    (newest.decidedAt ?? newest.time) > steps.now()
  ) {
    // Events are decided no later than their arrival: only one applied before arrivals were
    // kept can be decided ahead, and until then it keeps this person's events from applying.
    context.logger.warn("Stale behind an applied event dated in the future", {
      subject: event.subject,
      eventId: event.id,
      eventTime: new Date(ref.time).toISOString(),
      newerEventId: newest.id,
      newerEventTime: new Date(newest.time).toISOString(),
    });
  }
  if (verdict === "schedule" && effectiveAt !== undefined) {
    // The change's own item first: the person's item listing it is what makes it pending.
    const change = { ...ref, subject: event.subject, effectiveAt, scheduledAt: steps.now() };
    await steps.deps.ledger.putChange({ ...change, body: record.body });
    const scheduled = { ...step(), effectiveAt };
    await person.release(scheduleChange(scheduled));
    return {
      ...seen,
      outcome: "scheduled",
      effectiveAt: event.data.effectiveAt,
      at: scheduled.now,
    };
  }
  if (verdict === "duplicate" || verdict === "stale" || verdict === "cancelled") {
    const reached =
      verdict === "duplicate" ? outcomeReachedBy(person.record, ref, record.messageId) : undefined;
    const acknowledged = { ...step(), outcome: verdict };
    await person.release(acknowledge(acknowledged));
    return { ...seen, outcome: verdict, at: acknowledged.now, ...(reached ? { reached } : {}) };
  }

  // Rule 2 of the dead-letter rules (person-ledger-rules.ts): only the send is left.
  const decided = inProgressOf(person.record, ref, record.messageId)?.pendingDeadLetter;
  const attempted =
    decided ?? (await attemptEvent(steps, record, event, seen, person, step, context));
  if ("outcome" in attempted) return attempted;
  return sendDecidedDeadLetter(steps, record, seen, person, attempted, step, context);
}
