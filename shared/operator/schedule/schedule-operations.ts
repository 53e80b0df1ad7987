import { randomUUID } from "node:crypto";
import type { ScheduleState } from "../../contract/ledger-keys.ts";
import type { AuditSink } from "../../runtime/audit/audit-log.ts";
import type { ServerClock } from "../../runtime/aws/server-clock.ts";
import { eventKey } from "../../runtime/events/deduplication-id.ts";
import { changeKey } from "../../runtime/ledger/change-item.ts";
import type { DynamoDbLedger } from "../../runtime/ledger/dynamodb-ledger.ts";
import type { PendingChange } from "../../runtime/ledger/person-record.ts";
import { cancelByOperator } from "../../runtime/ledger/schedule-rules.ts";
import { ScheduleCancelRefusedError } from "../errors/schedule-cancel-refused-error.ts";

/** What `lifecycle schedule list` shows of one pending change. */
export interface ScheduledChangeView extends PendingChange {
  subject: string;
  state: ScheduleState;
}

/**
 * Every pending change taking effect no later than `dueBefore`, soonest first: both parts of
 * the due-changes index (still waiting, and put back on the queue but not yet applied), each
 * shown only while the person's item (the authority) still lists it, as it lists it.
 */
export async function listScheduledChanges(
  ledger: Pick<DynamoDbLedger, "scheduledChanges" | "getChange" | "getPerson">,
  dueBefore = Number.MAX_SAFE_INTEGER,
): Promise<ScheduledChangeView[]> {
  const views: ScheduledChangeView[] = [];
  for (const state of ["waiting", "enqueued"] as const) {
    for await (const { key, subject, legacy } of ledger.scheduledChanges({ state, dueBefore })) {
      // A person's item of before pending changes had items of their own lists its change itself.
      const item = legacy ? undefined : await ledger.getChange(key);
      if (!legacy && item === undefined) continue;
      const person = await ledger.getPerson(subject);
      const changes = (person?.pendingChanges ?? []).filter(
        (pending) => item === undefined || eventKey(pending) === eventKey(item),
      );
      for (const change of changes) {
        if (change.effectiveAt > dueBefore) continue;
        views.push({
          ...change,
          subject,
          state: change.enqueuedAt === undefined ? "waiting" : "enqueued",
        });
      }
    }
  }
  return views.sort((a, b) => a.effectiveAt - b.effectiveAt || a.subject.localeCompare(b.subject));
}

/**
 * The one pending change of `subject` an operator names: by its event id (and source, when
 * two sources used the id), or none when the person has exactly one.
 */
export function pickPendingChange(
  pending: readonly PendingChange[],
  subject: string,
  named: { eventId?: string | undefined; source?: string | undefined },
): PendingChange {
  if (pending.length === 0)
    throw new ScheduleCancelRefusedError(`${subject} has no pending change.`);
  const matching = pending.filter(
    (change) =>
      (named.eventId === undefined || change.id === named.eventId) &&
      (named.source === undefined || change.source === named.source),
  );
  const [only] = matching;
  if (only !== undefined && matching.length === 1) return only;
  const list = pending.map((change) => `${change.id} (${change.source})`).join(", ");
  throw new ScheduleCancelRefusedError(
    matching.length === 0
      ? `${subject} has no pending change ${[named.eventId, named.source].filter(Boolean).join(" from ")}; pending: ${list}.`
      : `${subject} has ${matching.length} pending changes: name the one to cancel by its event id (--source when two sources share it): ${list}.`,
  );
}

/**
 * `lifecycle schedule cancel`: under the person's ledger claim, the named pending change is
 * written in full to the audit log, then cancelled (history `cancelled` by `operator:<who>`),
 * and its own item deleted. Its event is never applied afterwards, even if the scheduler had
 * already put it back on the queue.
 */
export async function cancelScheduledChange(options: {
  ledger: Pick<DynamoDbLedger, "getPerson" | "claim" | "release" | "getChange" | "deleteChange">;
  subject: string;
  /** The change's event id (and source): optional when the person has one pending change. */
  eventId?: string | undefined;
  source?: string | undefined;
  operator: string;
  audit: AuditSink;
  now: number;
  /** AWS's clock as the ledger's client saw it: no claim is taken on a clock far off. */
  serverClock?: Pick<ServerClock, "refuseSkew"> | undefined;
}): Promise<PendingChange> {
  const { ledger, subject, now } = options;
  pickPendingChange((await ledger.getPerson(subject))?.pendingChanges ?? [], subject, options);
  options.serverClock?.refuseSkew();
  const owner = `cli/${randomUUID()}`;
  const claim = await ledger.claim(subject, { owner, expiresAt: now + 30_000, now });
  if (!claim.claimed) {
    throw new ScheduleCancelRefusedError(
      `The consumer is processing an event of ${subject} right now; try again in a few seconds.`,
    );
  }
  let change: PendingChange;
  try {
    change = pickPendingChange(claim.record.pendingChanges ?? [], subject, options);
    // In full, body included, so the event can be sent again from the audit log.
    const item = await ledger.getChange(changeKey(subject, eventKey(change)));
    await options.audit.write("schedule_cancelled", { subject, ...change, body: item?.body });
  } catch (error) {
    await ledger.release(claim.record, owner);
    throw error;
  }
  const cancelled = cancelByOperator({
    record: claim.record,
    key: eventKey(change),
    operator: options.operator,
    now,
    // Nothing trimmed here: the consumer trims the history to its own settings at its next write.
    policy: { size: Number.POSITIVE_INFINITY, retentionMs: Number.POSITIVE_INFINITY },
  });
  await ledger.release(cancelled ?? claim.record, owner);
  // The person's item no longer lists it: a delete that fails leaves an orphan the scheduler drops.
  await ledger.deleteChange(subject, eventKey(change)).catch(() => undefined);
  return change;
}
