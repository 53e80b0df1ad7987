import { DLQ_ATTRIBUTES, type FailureReason } from "../../contract/dead-letter-attributes.ts";
import { deadLetterGroupId } from "../dlq/dead-letter-message.ts";
import { completeDeadLettered, type EventStep } from "../ledger/person-ledger-rules.ts";
import type { PendingDeadLetter } from "../ledger/person-record.ts";
import { describeError, type Logger } from "../logging/logger.ts";
import type { ClaimedPerson } from "./claimed-person.ts";
import { classifyFailure, type Failure } from "./failure-classification.ts";
import {
  decideAfterFailure,
  type FailureDecision,
  type OutagePatience,
} from "./failure-decision.ts";
import { peekEvent } from "./peek-event.ts";
import type {
  ProcessedRecord,
  RecordContext,
  RecordIdentity,
  RecordSteps,
} from "./record-steps.ts";
import { arrivalOf, queuedForMs, receiveCountOf, type SqsRecordLike } from "./sqs-record.ts";

/** After a failed attempt; a wait for an open breaker counts from when the record was queued. */
/** `attempt` undefined: the ledger could not count it. */
export function decide(
  steps: RecordSteps,
  record: SqsRecordLike,
  failure: Failure,
  attempt: number | undefined,
): FailureDecision {
  return decideAfterFailure(
    failure,
    attempt,
    steps.deps.config.maxAttempts,
    patience(steps, record),
  );
}

/** How long a record may wait for an outage to end. */
function patience(steps: RecordSteps, record: SqsRecordLike): OutagePatience {
  return {
    patienceMs: steps.deps.config.outage.patienceSeconds * 1000,
    queuedForMs: queuedForMs(record, steps.now()),
  };
}

/** The dead letter decided for `record` after `failure`. */
export function pendingDeadLetter(
  steps: RecordSteps,
  record: SqsRecordLike,
  { target, status, detail }: Failure,
  reason: FailureReason,
  attempt: number,
): PendingDeadLetter {
  return {
    reason,
    attempt,
    messageId: record.messageId,
    at: steps.now(),
    detail,
    target,
    status,
  };
}

/** The outcome of a failure that was not (yet) dead-lettered, or whose letter was decided. */
export function failedOutcome(
  seen: RecordIdentity,
  failure: Failure,
  attempts: number | undefined,
  decision: FailureDecision,
): ProcessedRecord {
  const { target, status, detail } = failure;
  const facts = { ...seen, target, status, detail, attempts };
  const waitingFor = failure.kind === "waiting" ? failure.reason : "platform_unavailable";
  switch (decision.action) {
    case "retry":
      return {
        ...facts,
        outcome: "retried",
        cause: "transient",
        retryAfterMs: decision.retryAfterMs,
      };
    case "wait":
      return { ...facts, outcome: "retried", cause: waitingFor };
    default:
      return { ...facts, outcome: "dead_lettered", reason: decision.reason };
  }
}

/**
 * A failure where nothing but the outcome is to be recorded (the ledger failed, or the claim
 * was lost). No attempt counts; a record that waited for the ledger longer than the patience
 * goes to the DLQ as `ledger_unavailable` without it: the letter's attempt is the last one
 * the ledger counted (0 when none), the same on every delivery, so a resend after a crash
 * carries the same deduplication id.
 */
export async function failedWithoutLedger(
  steps: RecordSteps,
  record: SqsRecordLike,
  seen: RecordIdentity,
  error: unknown,
  context: RecordContext,
  countedAttempts?: number | undefined,
): Promise<ProcessedRecord> {
  const failure = classifyFailure(error);
  const decision = decide(steps, record, failure, undefined);
  if (decision.action !== "dead_letter") return failedOutcome(seen, failure, undefined, decision);
  const pending = pendingDeadLetter(steps, record, failure, decision.reason, countedAttempts ?? 0);
  return sendDeadLetter(steps, record, seen, pending, context.logger);
}

/**
 * A failure before the person is claimed (a signal's read-back, the validation's load): no
 * ledger item counts it, so SQS's receive count does, and at the limit the record itself is
 * dead-lettered, to be processed again when redriven.
 */
export async function failedBeforeClaim(
  steps: RecordSteps,
  record: SqsRecordLike,
  seen: RecordIdentity,
  error: unknown,
  context: RecordContext,
): Promise<ProcessedRecord> {
  const failure = classifyFailure(error);
  const attempt = receiveCountOf(record);
  const decision = decide(steps, record, failure, attempt);
  if (decision.action !== "dead_letter") return failedOutcome(seen, failure, attempt, decision);
  const pending = pendingDeadLetter(steps, record, failure, decision.reason, attempt);
  const { messageId, eventId, subject } = seen;
  return sendDeadLetter(steps, record, { messageId, eventId, subject }, pending, context.logger);
}

/**
 * Not an event: straight to the DLQ (`invalid_event`). No ledger is involved, so the attempt
 * is always 1: a redelivery after a crash sends the same deduplication id again.
 */
export async function deadLetterInvalid(
  steps: RecordSteps,
  record: SqsRecordLike,
  detail: string,
  context: RecordContext,
): Promise<ProcessedRecord> {
  const { eventId, subject } = peekEvent(record.body);
  const seen = { messageId: record.messageId, eventId, subject };
  const reason: FailureReason = "invalid_event";
  const pending = { reason, attempt: 1, messageId: record.messageId, at: steps.now(), detail };
  return sendDeadLetter(steps, record, seen, pending, context.logger);
}

/**
 * Rule 2 of the dead-letter rules (person-ledger-rules.ts): the letter is in the ledger, only
 * the send is left; then the ledger records it sent, and the claim is released with it.
 */
export async function sendDecidedDeadLetter(
  steps: RecordSteps,
  record: SqsRecordLike,
  seen: RecordIdentity,
  person: ClaimedPerson,
  pending: PendingDeadLetter,
  step: () => EventStep,
  context: RecordContext,
): Promise<ProcessedRecord> {
  const sent = await sendDeadLetter(steps, record, seen, pending, context.logger);
  if (sent.outcome !== "dead_lettered") return sent;
  const { reason, target } = pending;
  const { dlqMessageId } = sent;
  // Once sent, the message is acknowledged even if the ledger cannot record it: kept, it
  // could only be sent again, maybe past SQS's deduplication window (rule 3 of the rules).
  await person
    .release(completeDeadLettered({ ...step(), reason, target, dlqMessageId }))
    .catch((error) =>
      context.logger.error("The dead letter was sent, but the ledger could not record it", {
        error: describeError(error),
      }),
    );
  return sent;
}

/** The one way to the DLQ. A failed send leaves the record queued and retried, not lost. */
export async function sendDeadLetter(
  steps: RecordSteps,
  record: SqsRecordLike,
  seen: Omit<RecordIdentity, "eventType">,
  pending: PendingDeadLetter,
  logger: Logger,
): Promise<ProcessedRecord> {
  const { reason, target, status, detail, attempt, messageId, at } = pending;
  const facts = { ...seen, reason, target, status, detail, attempts: attempt };
  let dlqMessageId: string | undefined;
  try {
    const sent = await steps.deps.deadLetters.send({
      body: record.body,
      groupId: deadLetterGroupId(seen.subject),
      sourceMessageId: messageId,
      attempt,
      reason,
      target,
      status,
      detail,
      at,
      redriveCount: record.messageAttributes?.[DLQ_ATTRIBUTES.redriveCount]?.stringValue,
      arrivedAt: arrivalOf(record),
    });
    dlqMessageId = sentMessageId(sent);
  } catch (error) {
    logger.error("Could not send to the dead-letter queue; the record stays queued", {
      messageId: record.messageId,
      error: describeError(error),
    });
    return { ...facts, outcome: "retried", cause: "dead_letter_send_failed" };
  }
  return { ...facts, outcome: "dead_lettered", dlqMessageId };
}

/** The letter's message id, if the router said it (its outcome event names it). */
function sentMessageId(sent: unknown): string | undefined {
  if (typeof sent !== "object" || sent === null || !("messageId" in sent)) return undefined;
  return typeof sent.messageId === "string" ? sent.messageId : undefined;
}
