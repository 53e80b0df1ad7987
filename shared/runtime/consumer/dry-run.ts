import type { LifecycleEvent } from "../events/lifecycle-event.ts";
import type { PendingDeadLetter } from "../ledger/person-record.ts";
import { failedOutcome, sendDeadLetter } from "./dead-lettering.ts";
import { describePlan } from "./event-plan.ts";
import type { Failure } from "./failure-classification.ts";
import { decideAfterFailure } from "./failure-decision.ts";
import { planEvent } from "./plan-event.ts";
import type {
  ProcessedRecord,
  RecordContext,
  RecordIdentity,
  RecordSteps,
} from "./record-steps.ts";
import { arrivalOf, receiveCountOf, type SqsRecordLike } from "./sqs-record.ts";

/**
 * Dry run: the plan (plan-event.ts, the code `lifecycle plan` runs) goes to the DLQ as
 * `dry_run`, in words, with the event, to be redriven once dry run is off; nothing else is
 * written. Attempts cannot be counted in the ledger, so SQS's receive count stands in for
 * them: a plan that could not be made is retried like any transient failure, and at the
 * limit the letter says what the consumer would then do (`retries_exhausted`).
 */
export async function dryRun(
  steps: RecordSteps,
  record: SqsRecordLike,
  event: LifecycleEvent,
  seen: RecordIdentity,
  context: RecordContext,
): Promise<ProcessedRecord> {
  const dry = { ...seen, dryRun: true };
  const attempt = receiveCountOf(record);
  let plan = await planEvent(event, steps.planner, context.signal, arrivalOf(record));
  if (plan.kind === "retry") {
    const failure: Failure = { ...plan, kind: "transient" };
    const decision = decideAfterFailure(failure, attempt, steps.deps.config.maxAttempts);
    if (decision.action !== "dead_letter") return failedOutcome(dry, failure, attempt, decision);
    plan = { ...plan, kind: "dead_letter", reason: decision.reason };
  }
  steps.deps.logger.info("Dry run: planned", { plan: plan.kind, detail: describePlan(plan) });
  const pending: PendingDeadLetter = {
    reason: "dry_run",
    attempt,
    messageId: record.messageId,
    at: steps.now(),
    detail: describePlan(plan),
    // A refusal's target and status, for the letter's attributes.
    ...(plan.kind === "dead_letter" ? { target: plan.target, status: plan.status } : {}),
  };
  const sent = await sendDeadLetter(steps, record, seen, pending, context.logger);
  return { ...sent, dryRun: true, plan: plan.kind };
}
