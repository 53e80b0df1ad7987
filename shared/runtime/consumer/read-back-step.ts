import { BAMBOOHR_SIGNAL_TYPE } from "../../contract/event-types.ts";
import { CredentialsNotConfiguredError } from "../errors/credentials-not-configured-error.ts";
import { failedBeforeClaim } from "./dead-lettering.ts";
import { peekEvent } from "./peek-event.ts";
import {
  eventClock,
  type ProcessedRecord,
  type RecordContext,
  type RecordSteps,
} from "./record-steps.ts";
import type { SqsRecordLike } from "./sqs-record.ts";

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
  const claimed = peekEvent(record.body);
  if (claimed.eventType !== BAMBOOHR_SIGNAL_TYPE) return record;
  const { config, employees } = steps.deps;
  try {
    // Loaded at the first signal, not at cold start: the signal's schema, the mapping and
    // BambooHR's body schemas are zod's, and most consumers never see a signal.
    const { readBambooHrSignal } = await import("../events/bamboohr-signal.ts");
    const signal = readBambooHrSignal(record.body);
    if (signal === undefined) return record;
    if (employees === undefined) {
      throw new CredentialsNotConfiguredError(
        "BAMBOOHR_API_SECRET_ID",
        "the consumer has no BambooHR API to read the employee back with",
      );
    }
    const { readBackEmployee } = await import("./bamboohr-read-back.ts");
    const event = await readBackEmployee(signal, {
      employees,
      mapping: config.bamboohr.bamboohrMapping,
      clock: eventClock(steps),
      signal: context.signal,
    });
    return { ...record, body: JSON.stringify(event) };
  } catch (error) {
    const seen = { messageId: record.messageId, ...claimed };
    return failedBeforeClaim(steps, record, seen, error, context);
  }
}
