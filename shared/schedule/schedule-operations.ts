import { randomUUID } from "node:crypto";
import type { ServerClock } from "../aws/server-clock.ts";
import type { AuditSink } from "../dlq-operations/audit-log.ts";
import type { DynamoDbLedger } from "../ledger/dynamodb-ledger.ts";
import type { ScheduleState } from "../ledger/ledger-table.ts";
import type { ScheduledChange } from "../ledger/person-record.ts";
import { cancelByOperator } from "../ledger/schedule-rules.ts";

/** What `lifecycle schedule list` shows of one pending change. */
export interface ScheduledChangeView extends Omit<ScheduledChange, "body"> {
  subject: string;
  state: ScheduleState;
}

/**
 * Every pending scheduled change taking effect no later than `dueBefore`, soonest first: both
 * parts of the due-changes index (still waiting, and put back on the queue but not yet
 * applied), each read again from the person's item.
 */
export async function listScheduledChanges(
  ledger: Pick<DynamoDbLedger, "scheduledChanges" | "getPerson">,
  dueBefore = Number.MAX_SAFE_INTEGER,
): Promise<ScheduledChangeView[]> {
  const views: ScheduledChangeView[] = [];
  for (const state of ["waiting", "enqueued"] as const) {
    for await (const { subject } of ledger.scheduledChanges({ state, dueBefore })) {
      const change = (await ledger.getPerson(subject))?.scheduled;
      if (change === undefined || change.effectiveAt > dueBefore) continue;
      const { body: _body, ...rest } = change;
      views.push({
        subject,
        state: change.enqueuedAt === undefined ? "waiting" : "enqueued",
        ...rest,
      });
    }
  }
  return views.sort((a, b) => a.effectiveAt - b.effectiveAt || a.subject.localeCompare(b.subject));
}

/** Why a cancel did not happen. */
export class ScheduleCancelRefusedError extends Error {
  override readonly name = "ScheduleCancelRefusedError";
}

/**
 * `lifecycle schedule cancel`: under the person's ledger claim, the pending change is written
 * in full to the audit log, then cancelled (history `cancelled` by `operator:<who>`). Its event
 * is never applied afterwards, even if the scheduler had already put it back on the queue.
 */
export async function cancelScheduledChange(options: {
  ledger: Pick<DynamoDbLedger, "getPerson" | "claim" | "release">;
  subject: string;
  operator: string;
  audit: AuditSink;
  now: number;
  /** AWS's clock as the ledger's client saw it: no claim is taken on a clock far off. */
  serverClock?: Pick<ServerClock, "refuseSkew"> | undefined;
}): Promise<ScheduledChange> {
  const { ledger, subject, now } = options;
  if ((await ledger.getPerson(subject))?.scheduled === undefined) {
    throw new ScheduleCancelRefusedError(`${subject} has no scheduled change.`);
  }
  options.serverClock?.refuseSkew();
  const owner = `cli/${randomUUID()}`;
  const claim = await ledger.claim(subject, { owner, expiresAt: now + 30_000, now });
  if (!claim.claimed) {
    throw new ScheduleCancelRefusedError(
      `The consumer is processing an event of ${subject} right now; try again in a few seconds.`,
    );
  }
  const change = claim.record.scheduled;
  const cancelled = cancelByOperator({
    record: claim.record,
    operator: options.operator,
    now,
    // Nothing trimmed here: the consumer trims the history to its own settings at its next write.
    policy: { size: Number.POSITIVE_INFINITY, retentionMs: Number.POSITIVE_INFINITY },
  });
  if (change === undefined || cancelled === undefined) {
    await ledger.release(claim.record, owner);
    throw new ScheduleCancelRefusedError(`${subject} has no scheduled change any more.`);
  }
  try {
    await options.audit.write("schedule_cancelled", { subject, ...change });
  } catch (error) {
    await ledger.release(claim.record, owner);
    throw error;
  }
  await ledger.release(cancelled, owner);
  return change;
}
