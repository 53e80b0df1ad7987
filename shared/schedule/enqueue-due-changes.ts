import { randomUUID } from "node:crypto";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { dueDeduplicationId } from "../events/deduplication-id.ts";
import type { DynamoDbLedger } from "../ledger/dynamodb-ledger.ts";
import { isDue, markEnqueued } from "../ledger/schedule-rules.ts";
import { describeError, type Logger } from "../logging/logger.ts";
import type { Metrics } from "../metrics/metrics.ts";

/** Scheduled changes put back on the queue by a run. */
export const DUE_CHANGES_ENQUEUED_METRIC = "DueChangesEnqueued";
/**
 * Milliseconds between a change's `effectiveAt` and its enqueueing (or, for one still waiting,
 * the run's end). Published by every run, 0 when nothing was late: the stack alarms on its
 * maximum, and on its absence (a scheduler that stopped running).
 */
export const DUE_CHANGE_LATENESS_METRIC = "DueChangeLateness";

export interface DueChangeRunDependencies {
  ledger: Pick<DynamoDbLedger, "scheduledChanges" | "claim" | "release">;
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
 * due-changes index, never a scan) is put back on the source queue as it arrived, in its
 * person's group, under a deduplication id made from its event key and "due". Each is enqueued
 * under the person's ledger claim and marked `enqueued` in the same release, so a change is
 * enqueued once: a crash between the send and the mark repeats the send at the next run with
 * the same deduplication id, which SQS drops. A change that fell due while the scheduler was
 * down is simply due at its next run.
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
      outcome = await enqueueOne(due.subject, owner, deps, now);
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
  const record = claim.record;
  const change = record.scheduled;
  // The index is eventually consistent: the change may have been applied or cancelled since.
  if (change === undefined || change.enqueuedAt !== undefined || !isDue(change, now())) {
    await deps.ledger.release(record, owner);
    return "not_due";
  }
  try {
    await deps.sqs.send(
      new SendMessageCommand({
        QueueUrl: deps.queueUrl,
        MessageBody: change.body,
        MessageGroupId: subject,
        MessageDeduplicationId: dueDeduplicationId(change),
      }),
    );
  } catch (error) {
    await deps.ledger.release(record, owner).catch(() => undefined);
    throw error;
  }
  await deps.ledger.release(markEnqueued(record, now()), owner);
  deps.logger.info("Due change put back on the queue", {
    subject,
    eventId: change.id,
    eventType: change.type,
    effectiveAt: new Date(change.effectiveAt).toISOString(),
  });
  return "enqueued";
}
