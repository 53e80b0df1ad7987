import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { AuditAction, AuditSink } from "../audit/audit-log.ts";
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
  /** The audit log could not be written: nothing more was sent (the error, in words). */
  auditFailed?: string | undefined;
}

/**
 * `--apply`: one corrective event per drifted person, through the normal queue (group = the
 * person, deduplication id = the event key), so the consumer's every rule applies to it:
 * ordering, the ledger, the guard, the DLQ. Nothing here writes to a platform.
 * With an audit log, each event's line is written BEFORE it is sent
 * (`reconcile_corrective_sending`), and its message id after (`reconcile_corrective_sent`):
 * should the log fail, that event and every one after it are not sent.
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
    const corrects = String(event[CORRECTS_ATTRIBUTE]);
    const about = { subject: event.subject, eventId: event.id, corrects, type: event.type };
    const audited = await writeAudit(options.audit, "reconcile_corrective_sending", about);
    if (audited !== undefined) {
      report.auditFailed = audited;
      break;
    }
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
        corrects,
      };
      report.sent.push(sent);
    } catch (error) {
      report.failed.push({ subject: person.subject, error: errorText(error) });
      continue;
    }
    const messageId = report.sent.at(-1)?.messageId;
    report.auditFailed = await writeAudit(options.audit, "reconcile_corrective_sent", {
      ...about,
      messageId,
    });
    if (report.auditFailed !== undefined) break;
  }
  return report;
}

/** Undefined once written (or with no log); else what went wrong, in words. */
async function writeAudit(
  audit: AuditSink | undefined,
  action: AuditAction,
  fields: Record<string, unknown>,
): Promise<string | undefined> {
  try {
    await audit?.write(action, fields);
    return undefined;
  } catch (error) {
    return errorText(error);
  }
}

function errorText(error: unknown): string {
  return String(describeError(error).message);
}
