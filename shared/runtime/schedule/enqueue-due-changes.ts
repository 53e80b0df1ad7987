import { randomUUID } from "node:crypto";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { DUE_CHANGE_LATENESS_METRIC, DUE_CHANGES_ENQUEUED_METRIC } from "../../contract/metrics.ts";
import { arrivalAttributes } from "../events/arrival.ts";
import { dueDeduplicationId, eventKey } from "../events/deduplication-id.ts";
import { changeKey } from "../ledger/change-item.ts";
import type { DynamoDbLedger } from "../ledger/dynamodb-ledger.ts";
import { isDue, markEnqueued } from "../ledger/schedule-rules.ts";
import { describeError, type Logger } from "../logging/logger.ts";
import type { Metrics } from "../metrics/metrics.ts";

export interface DueChangeRunDependencies {
  ledger: Pick<
    DynamoDbLedger,
    "scheduledChanges" | "getChange" | "putChange" | "deleteChange" | "claim" | "release"
  >;
  sqs: SQSClient;
  queueUrl: string;
  logger: Logger;
  metrics: Metrics;
  now?: (() => number) | undefined;
}

export interface DueChangeRunSummary {
  enqueued: number;
  /** Left for the next run: the person's claim was held (the consumer is at one of their events). */
  busy: number;
  /** Left for the next run: the ledger or the queue failed. */
  failed: number;
  /** The latest of the changes this run saw due, in ms. */
  latenessMs: number;
}

/** A person's claim lasts this long while the scheduler puts their change back on the queue. */
const CLAIM_TTL_MS = 30_000;

/**
 * One run of the scheduler: every change that is due and still waiting (a Query of the ledger's
 * due-changes index, never a scan) is put back on the source queue as it arrived (body and
 * first arrival), in its person's group, under a deduplication id made from its event key and
 * "due". Each is checked against the person's item (the authority: a change it no longer lists
 * was applied or cancelled, and its item is deleted, never enqueued), enqueued under the
 * person's ledger claim and marked `enqueued` in the same release, then on its own item; a
 * crash between the send and the mark repeats the send at the next run with the same
 * deduplication id, which SQS drops. A change that fell due while the scheduler was down is
 * simply due at its next run.
 */
export async function enqueueDueChanges(
  deps: DueChangeRunDependencies,
  signal?: AbortSignal,
): Promise<DueChangeRunSummary> {
  const now = deps.now ?? Date.now;
  const owner = `scheduler/${randomUUID()}`;
  const summary: DueChangeRunSummary = { enqueued: 0, busy: 0, failed: 0, latenessMs: 0 };
  for await (const due of deps.ledger.scheduledChanges({ state: "waiting", dueBefore: now() })) {
    if (signal?.aborted) break;
    let outcome: "enqueued" | "busy" | "not_due";
    try {
      outcome = await enqueueOne(due, owner, deps, now);
    } catch (error) {
      deps.logger.error("Could not put a due change back on the queue; the next run retries", {
        subject: due.subject,
        error: describeError(error),
      });
      summary.failed += 1;
      summary.latenessMs = Math.max(summary.latenessMs, now() - due.dueAt);
      continue;
    }
    if (outcome === "not_due") continue;
    summary[outcome] += 1;
    summary.latenessMs = Math.max(summary.latenessMs, now() - due.dueAt);
  }
  deps.metrics.count(DUE_CHANGES_ENQUEUED_METRIC, {}, summary.enqueued);
  deps.metrics.duration(DUE_CHANGE_LATENESS_METRIC, summary.latenessMs);
  if (summary.enqueued + summary.busy + summary.failed > 0) {
    deps.logger.info("Due changes put back on the queue", { ...summary });
  }
  return summary;
}

async function enqueueOne(
  due: { key: string; subject: string; legacy: boolean },
  owner: string,
  deps: DueChangeRunDependencies,
  now: () => number,
): Promise<"enqueued" | "busy" | "not_due"> {
  const { subject } = due;
  if (due.legacy) return moveLegacySlot(subject, owner, deps, now);
  const item = await deps.ledger.getChange(due.key);
  if (item === undefined) return "not_due";
  const key = eventKey(item);
  const claim = await deps.ledger.claim(subject, {
    owner,
    expiresAt: now() + CLAIM_TTL_MS,
    now: now(),
  });
  if (!claim.claimed) return "busy";
  const record = claim.record;
  const change = record.pendingChanges?.find((pending) => eventKey(pending) === key);
  // The index is eventually consistent: the change may have been applied or cancelled since.
  if (change === undefined || change.enqueuedAt !== undefined || !isDue(change, now())) {
    await deps.ledger.release(record, owner);
    // Not listed: applied, cancelled, or written before a crash. Listed as sent: the mark on
    // its own item failed last time.
    if (change === undefined) await deps.ledger.deleteChange(subject, key);
    else if (change.enqueuedAt !== undefined) await deps.ledger.putChange({ ...item, ...change });
    return "not_due";
  }
  try {
    await deps.sqs.send(
      new SendMessageCommand({
        QueueUrl: deps.queueUrl,
        MessageBody: item.body,
        MessageGroupId: subject,
        MessageDeduplicationId: dueDeduplicationId(change),
        ...(change.arrivedAt === undefined
          ? {}
          : { MessageAttributes: arrivalAttributes(change.arrivedAt) }),
      }),
    );
  } catch (error) {
    await deps.ledger.release(record, owner).catch(() => undefined);
    throw error;
  }
  const marked = markEnqueued(record, key, now());
  await deps.ledger.release(marked, owner);
  const enqueuedAt = marked.pendingChanges?.find(
    (pending) => eventKey(pending) === key,
  )?.enqueuedAt;
  await deps.ledger.putChange({ ...item, ...change, enqueuedAt });
  deps.logger.info("Due change put back on the queue", {
    subject,
    eventId: change.id,
    eventType: change.type,
    effectiveAt: new Date(change.effectiveAt).toISOString(),
  });
  return "enqueued";
}

/**
 * A person's item of before pending changes had items of their own, its change in the slot on
 * the person's item: the ledger's claim moves the change into an item of its own
 * (legacy-schedule.ts), the release writes the person's item listing it, and the change is
 * then enqueued like any other.
 */
async function moveLegacySlot(
  subject: string,
  owner: string,
  deps: DueChangeRunDependencies,
  now: () => number,
): Promise<"enqueued" | "busy" | "not_due"> {
  const claim = await deps.ledger.claim(subject, {
    owner,
    expiresAt: now() + CLAIM_TTL_MS,
    now: now(),
  });
  if (!claim.claimed) return "busy";
  await deps.ledger.release(claim.record, owner);
  let outcome: "enqueued" | "busy" | "not_due" = "not_due";
  for (const change of claim.record.pendingChanges ?? []) {
    const key = changeKey(subject, eventKey(change));
    const one = await enqueueOne({ key, subject, legacy: false }, owner, deps, now);
    if (one !== "not_due") outcome = one;
  }
  return outcome;
}
