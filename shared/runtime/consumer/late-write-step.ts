import { WriteInDoubtError } from "../errors/write-in-doubt-error.ts";
import type { PersonRecord } from "../ledger/person-record.ts";
import type { ClaimedPerson } from "./claimed-person.ts";
import { forgetSettled, heldUntil, leftInDoubt, markInDoubt } from "./late-write-rules.ts";
import type { ProcessedRecord, RecordSteps } from "./record-steps.ts";
import type { TargetChange } from "./targets/target-change.ts";

/**
 * The OSIS target's write (or its "already as wanted"), under the late-write rules
 * (late-write-rules.ts): held while a write of the other state may still land; a write left in
 * doubt is staged on the person's record, which every way out of the attempt writes (the
 * failed attempt's release, the dead letter's decision).
 */
export async function writeOsisMindingLateWrites(
  steps: RecordSteps,
  person: ClaimedPerson,
  active: boolean,
  write: () => Promise<TargetChange>,
): Promise<TargetChange> {
  const until = heldUntil(person.record, active, steps.now());
  if (until !== undefined) throw new WriteInDoubtError(until, steps.now());
  try {
    const change = await write();
    person.stage(forgetSettled(person.record, steps.now()));
    return change;
  } catch (error) {
    if (leftInDoubt(error)) {
      const lateMs = steps.deps.config.osisLateWriteSeconds * 1000;
      person.stage(markInDoubt(person.record, { active, now: steps.now(), lateMs }));
    }
    throw error;
  }
}

/**
 * A record that failed without the ledger (the doubt may not have been written) comes back
 * only once its person's OSIS doubt is over: before then, the person's next event could pass
 * a write that may still land.
 */
export function notBeforeDoubtEnds(
  outcome: ProcessedRecord,
  record: PersonRecord,
  now: number,
): ProcessedRecord {
  const until = record.osisInDoubt?.until;
  if (outcome.outcome !== "retried" || until === undefined || until <= now) return outcome;
  return { ...outcome, retryAfterMs: Math.max(outcome.retryAfterMs ?? 0, until - now) };
}
