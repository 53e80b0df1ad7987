import { processUnderClaim } from "./claim-and-verdict.ts";
import { dryRun } from "./dry-run.ts";
import { summarizeEvent } from "./published-outcome.ts";
import { readBackStep } from "./read-back-step.ts";
import {
  type ProcessedRecord,
  type RecordContext,
  type RecordIdentity,
  type RecordProcessorDependencies,
  type RecordSteps,
  recordSteps,
} from "./record-steps.ts";
import type { SqsRecordLike } from "./sqs-record.ts";
import { validationStep } from "./validation-step.ts";

export type {
  ProcessedRecord,
  RecordContext,
  RecordProcessorDependencies,
} from "./record-steps.ts";

/**
 * One record, start to end (docs/consumer.md, "Per record"): validate → claim the person →
 * duplicate/stale check → resolve the targets → per target read, skip or write → record the
 * outcome and release the claim. Failures become outcomes here; nothing is thrown. Each step
 * is its own module:
 *
 * - read-back-step.ts     a BambooHR signal becomes the event HR's current values make
 * - validation-step.ts    the body validated as an event, or dead-lettered as invalid
 * - dead-lettering.ts     what becomes of a failure: retried, waiting, or the DLQ (one way there)
 * - dry-run.ts            dry run: the plan goes to the DLQ, nothing else is written
 * - claim-and-verdict.ts  claim the person; duplicate, stale, cancelled or scheduled
 * - event-attempt.ts      one counted attempt: applied, failed for now, or a letter decided
 * - apply-targets.ts      resolve, refuse and write each target still to do
 */
export class RecordProcessor {
  readonly #steps: RecordSteps;

  constructor(deps: RecordProcessorDependencies) {
    this.#steps = recordSteps(deps);
  }

  async process(received: SqsRecordLike, context: RecordContext): Promise<ProcessedRecord> {
    const steps = this.#steps;
    const record = await readBackStep(steps, received, context);
    if ("outcome" in record) return record;
    const validated = await validationStep(steps, record, context);
    if ("outcome" in validated) return validated;
    const { event } = validated;
    const seen: RecordIdentity = {
      messageId: record.messageId,
      eventId: event.id,
      subject: event.subject,
      eventType: event.type,
      event: summarizeEvent(event),
    };
    // A dry run's letter keeps the message as received: a signal is read back again when redriven.
    if (steps.deps.config.dryRun) return dryRun(steps, received, event, seen, context);
    return processUnderClaim(steps, record, event, seen, context);
  }
}
