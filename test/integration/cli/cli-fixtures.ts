import { randomUUID } from "node:crypto";
import type {
  FailureReason,
  FailureTarget,
} from "../../../shared/contract/dead-letter-attributes.ts";
import type { DeadLetter } from "../../../shared/runtime/dlq/dead-letter-message.ts";
import {
  eventTimeMs,
  type LifecycleEvent,
} from "../../../shared/runtime/events/lifecycle-event.ts";
import type { DynamoDbLedger } from "../../../shared/runtime/ledger/dynamodb-ledger.ts";
import type { HistoryEntry, PersonRecord } from "../../../shared/runtime/ledger/person-record.ts";

let clock = Date.parse("2026-11-20T08:00:00Z");

/** A valid event; each one a minute later than the one before. */
export function event(subject: string, overrides: Partial<LifecycleEvent> = {}): LifecycleEvent {
  clock += 60_000;
  return {
    specversion: "1.0",
    id: randomUUID(),
    source: "urn:test:hr",
    type: "user.offboarded",
    time: new Date(clock).toISOString(),
    subject,
    data: { accountPlatform: { login: `${subject}@example.com` } },
    ...overrides,
  };
}

/** The dead letter the consumer would write for `body` (an event, or raw text). */
export function deadLetterOf(
  body: LifecycleEvent | string,
  options: {
    reason?: FailureReason;
    target?: FailureTarget;
    status?: number;
    at?: number;
    redriveCount?: string;
    groupId?: string;
  } = {},
): DeadLetter {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return {
    body: text,
    groupId: options.groupId ?? (typeof body === "string" ? "invalid" : body.subject),
    sourceMessageId: randomUUID(),
    attempt: 3,
    reason: options.reason ?? "retries_exhausted",
    target: options.target ?? "account-platform",
    status: options.status ?? 503,
    detail: "Service Unavailable",
    at: options.at ?? Date.parse("2026-11-22T10:00:00Z"),
    redriveCount: options.redriveCount,
  };
}

/** Writes a ledger record for `subject` whose newest applied event is `applied`. */
export async function recordApplied(
  ledger: DynamoDbLedger,
  applied: LifecycleEvent,
  extraHistory: HistoryEntry[] = [],
): Promise<PersonRecord> {
  const owner = `test-${randomUUID()}`;
  const now = Date.now();
  const claimed = await ledger.claim(applied.subject, { owner, expiresAt: now + 60_000, now });
  if (!claimed.claimed) throw new Error("could not claim the test person");
  const ref = {
    source: applied.source,
    id: applied.id,
    type: applied.type,
    time: eventTimeMs(applied),
  };
  return ledger.release(
    {
      ...claimed.record,
      newestApplied: { ...ref, appliedAt: now },
      desiredEnabled: applied.type === "user.onboarded",
      history: [...extraHistory, { ...ref, outcome: "applied", at: now }],
      updatedAt: now,
    },
    owner,
  );
}
