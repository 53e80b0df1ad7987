import { CredentialsNotConfiguredError } from "../errors/credentials-not-configured-error.ts";
import { readBambooHrSignal } from "../events/bamboohr-signal.ts";
import { decide, failedOutcome, pendingDeadLetter, sendDeadLetter } from "./dead-lettering.ts";
import { classifyFailure } from "./failure-classification.ts";
import {
  eventClock,
  type ProcessedRecord,
  type RecordContext,
  type RecordSteps,
} from "./record-steps.ts";
import { receiveCountOf, type SqsRecordLike } from "./sqs-record.ts";

/**
 * A BambooHR signal becomes the event HR's current values make (bamboohr-read-back.ts), and
 * goes on as if the record had carried it; any other record is itself. The read is made
 * before the person is claimed; its failures are counted by SQS's receive count (no ledger
 * item is involved yet), and at the limit the signal itself is dead-lettered, to be read
 * again when redriven.
 */
export async function readBackStep(
  steps: RecordSteps,
  record: SqsRecordLike,
  context: RecordContext,
): Promise<SqsRecordLike | ProcessedRecord> {
  const signal = readBambooHrSignal(record.body);
  if (signal === undefined) return record;
  const { config, employees } = steps.deps;
  try {
    if (employees === undefined) {
      throw new CredentialsNotConfiguredError(
        "BAMBOOHR_API_SECRET_ID",
        "the consumer has no BambooHR API to read the employee back with",
      );
    }
    // Loaded at the first signal, not at cold start: the mapping and BambooHR's body schemas
    // it brings are built when imported, and most consumers never see a signal.
    const { readBackEmployee } = await import("./bamboohr-read-back.ts");
    const event = await readBackEmployee(signal, {
      employees,
      mapping: config.bamboohr.bamboohrMapping,
      clock: eventClock(steps),
      signal: context.signal,
    });
    return { ...record, body: JSON.stringify(event) };
  } catch (error) {
    const seen = { messageId: record.messageId, eventId: signal.id, subject: signal.subject };
    const failure = classifyFailure(error);
    const attempt = receiveCountOf(record);
    const decision = decide(steps, record, failure, attempt);
    if (decision.action !== "dead_letter") {
      return failedOutcome({ ...seen, eventType: signal.type }, failure, attempt, decision);
    }
    const pending = pendingDeadLetter(steps, record, failure, decision.reason, attempt);
    return sendDeadLetter(steps, record, seen, pending, context.logger);
  }
}
