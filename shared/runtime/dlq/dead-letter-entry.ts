import type { Message } from "@aws-sdk/client-sqs";
import { DLQ_ATTRIBUTES } from "../../contract/dead-letter-attributes.ts";
import { ARRIVAL_ATTRIBUTE, parseArrival } from "../events/arrival.ts";
import type { LifecycleEvent } from "../events/lifecycle-event.ts";
import { parseLifecycleEvent, type ValidationProblem } from "../events/validation.ts";

/**
 * One dead letter as operators see it: the event it carries (when the body is a valid event)
 * and the failure attributes of the dead-letter contract. Nothing here changes the message.
 */
export interface DeadLetterEntry {
  messageId: string;
  /** The newest receipt handle: a repeat receive replaces the older one, which SQS voids. */
  receiptHandle: string;
  groupId: string | undefined;
  sequenceNumber: string | undefined;
  /** When SQS accepted the message into the DLQ, epoch ms. */
  sentAt: number | undefined;
  /** The body, byte for byte. */
  body: string;
  /** The event, when the body passes the shared schema. */
  event: LifecycleEvent | undefined;
  /** Why the body is not a valid event, when it is not. */
  problems: ValidationProblem[] | undefined;
  /** Best effort from the body even when it is invalid, for display and selection. */
  eventId: string | undefined;
  /** The event's `source`: with its id, what names one event. */
  source: string | undefined;
  subject: string | undefined;
  type: string | undefined;
  eventTime: string | undefined;
  failure: DeadLetterFailure;
  /** `lifecycle.redrive.count`: how often this event was redriven before (0 when never). */
  redriveCount: number;
  /**
   * When the product first received the event (`lifecycle.arrival.at`), else when the DLQ did
   * (a dead letter from before arrivals were kept): a redrive carries it, so it never makes
   * the event newer.
   */
  arrivedAt?: number | undefined;
  /** Every message attribute, as strings (for the audit log). */
  attributes: Record<string, string>;
  /** Every system attribute SQS returned (for the audit log). */
  systemAttributes: Record<string, string>;
}

export interface DeadLetterFailure {
  reason: string | undefined;
  target: string | undefined;
  status: number | undefined;
  detail: string | undefined;
  attempts: number | undefined;
  /** `lifecycle.failure.at`, epoch ms. */
  at: number | undefined;
  sourceMessageId: string | undefined;
}

export function toDeadLetterEntry(message: Message): DeadLetterEntry {
  const body = message.Body ?? "";
  const parsed = parseLifecycleEvent(body);
  const loose = parsed.ok ? parsed.event : looseFields(body);
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    if (value.StringValue !== undefined) attributes[name] = value.StringValue;
  }
  const system: Record<string, string> = { ...message.Attributes };
  const atText = attributes[DLQ_ATTRIBUTES.at];
  const at = atText === undefined ? undefined : Date.parse(atText);
  return {
    messageId: message.MessageId ?? "",
    receiptHandle: message.ReceiptHandle ?? "",
    groupId: system.MessageGroupId,
    sequenceNumber: system.SequenceNumber,
    sentAt: numberOrUndefined(system.SentTimestamp),
    body,
    event: parsed.ok ? parsed.event : undefined,
    problems: parsed.ok ? undefined : parsed.problems,
    eventId: stringField(loose, "id"),
    source: stringField(loose, "source"),
    subject: stringField(loose, "subject"),
    type: stringField(loose, "type"),
    eventTime: stringField(loose, "time"),
    failure: {
      reason: attributes[DLQ_ATTRIBUTES.reason],
      target: attributes[DLQ_ATTRIBUTES.target],
      status: numberOrUndefined(attributes[DLQ_ATTRIBUTES.status]),
      detail: attributes[DLQ_ATTRIBUTES.detail],
      attempts: numberOrUndefined(attributes[DLQ_ATTRIBUTES.attempts]),
      at: at !== undefined && Number.isFinite(at) ? at : undefined,
      sourceMessageId: attributes[DLQ_ATTRIBUTES.sourceMessageId],
    },
    redriveCount: numberOrUndefined(attributes[DLQ_ATTRIBUTES.redriveCount]) ?? 0,
    arrivedAt:
      parseArrival(attributes[ARRIVAL_ATTRIBUTE]) ?? numberOrUndefined(system.SentTimestamp),
    attributes,
    systemAttributes: system,
  };
}

/** When the dead letter failed: `lifecycle.failure.at`, else when the DLQ received it. */
export function failedAt(entry: DeadLetterEntry): number | undefined {
  return entry.failure.at ?? entry.sentAt;
}

/** FIFO order of the DLQ (SequenceNumber is a 128-bit decimal string). */
export function compareQueueOrder(a: DeadLetterEntry, b: DeadLetterEntry): number {
  const digits = /^\d+$/;
  if (!digits.test(a.sequenceNumber ?? "") || !digits.test(b.sequenceNumber ?? "")) return 0;
  const left = BigInt(a.sequenceNumber as string);
  const right = BigInt(b.sequenceNumber as string);
  return left < right ? -1 : left > right ? 1 : 0;
}

function looseFields(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function stringField(value: object | undefined, key: string): string | undefined {
  const field = (value as Record<string, unknown> | undefined)?.[key];
  return typeof field === "string" ? field : undefined;
}

function numberOrUndefined(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
