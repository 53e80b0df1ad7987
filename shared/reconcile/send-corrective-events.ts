import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { AuditSink } from "../dlq-operations/audit-log.ts";
import { sourceDeduplicationId } from "../events/deduplication-id.ts";
import { toMessageBody } from "../events/message-body.ts";
import { CORRECTS_ATTRIBUTE } from "../events/source-ownership.ts";
import type { PersonRecord } from "../ledger/person-record.ts";
import { describeError } from "../logging/logger.ts";
import { buildCorrectiveEvent } from "./corrective-event.ts";

export interface CorrectiveSent {
  subject: string;
  eventId: string;
  messageId: string;
  /** The key of the applied event it re-asserts. */
  corrects: string;
}

export interface CorrectiveReport {
  sent: CorrectiveSent[];
  failed: { subject: string; error: string }[];
}

/**
 * `--apply`: one corrective event per drifted person, through the normal queue (group = the
 * person, deduplication id = the event key), so the consumer's every rule applies to it:
 * ordering, the ledger, the guard, the DLQ. Nothing here writes to a platform.
 */
export async function sendCorrectiveEvents(options: {
  sqs: SQSClient;
  queueUrl: string;
  people: readonly PersonRecord[];
  audit?: AuditSink | undefined;
  now?: () => number;
  signal?: AbortSignal | undefined;
}): Promise<CorrectiveReport> {
  const now = options.now ?? Date.now;
  const report: CorrectiveReport = { sent: [], failed: [] };
  for (const person of options.people) {
    if (options.signal?.aborted) break;
    const event = buildCorrectiveEvent(person, now());
    if (event === undefined) continue;
    try {
      const output = await options.sqs.send(
        new SendMessageCommand({
          QueueUrl: options.queueUrl,
          MessageBody: toMessageBody(event),
          MessageGroupId: event.subject,
          MessageDeduplicationId: sourceDeduplicationId(event),
        }),
        { abortSignal: options.signal },
      );
      const sent: CorrectiveSent = {
        subject: event.subject,
        eventId: event.id,
        messageId: output.MessageId ?? "",
        corrects: String(event[CORRECTS_ATTRIBUTE]),
      };
      report.sent.push(sent);
      await options.audit?.write("reconcile_corrective_sent", { ...sent, type: event.type });
    } catch (error) {
      report.failed.push({ subject: person.subject, error: String(describeError(error).message) });
    }
  }
  return report;
}
