import type { LifecycleEvent } from "../events/lifecycle-event.ts";
import { deadLetterInvalid, failedBeforeClaim } from "./dead-lettering.ts";
import type { EventValidation } from "./event-validation-loader.ts";
import { peekEvent } from "./peek-event.ts";
import {
  eventClock,
  type ProcessedRecord,
  type RecordContext,
  type RecordSteps,
} from "./record-steps.ts";
import type { SqsRecordLike } from "./sqs-record.ts";

/**
 * The record's body validated as a lifecycle event, with the consumer's clock and limits; not
 * an event: straight to the DLQ (`invalid_event`). The validation is loaded at the first record
 * (event-validation-loader.ts); should the load fail, the record fails for now like any
 * transient failure before the claim, and the next record loads again.
 */
export async function validationStep(
  steps: RecordSteps,
  record: SqsRecordLike,
  context: RecordContext,
): Promise<{ event: LifecycleEvent } | ProcessedRecord> {
  let validation: EventValidation;
  try {
    validation = await steps.loadValidation();
  } catch (error) {
    const seen = { messageId: record.messageId, ...peekEvent(record.body) };
    return failedBeforeClaim(steps, record, seen, error, context);
  }
  const parsed = validation.parseLifecycleEvent(record.body, eventClock(steps));
  if (parsed.ok) return { event: parsed.event };
  return deadLetterInvalid(steps, record, validation.describeProblems(parsed.problems), context);
}
