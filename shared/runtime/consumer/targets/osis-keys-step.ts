import { NotAppliedError, UnsupportedError } from "../../errors/platform-errors.ts";
import { eventKey } from "../../events/deduplication-id.ts";
import type { LifecycleEvent } from "../../events/lifecycle-event.ts";
import {
  inactiveKeys,
  type KeyChange,
  keyWrites,
  markKeysInactiveBefore,
  settledKeys,
} from "../../ledger/osis-key-rules.ts";
import type { OsisKeysRecord, PersonRecord } from "../../ledger/person-record.ts";
import { isOsisUserActive } from "../../platforms/osis/osis.ts";
import type { OsisKey } from "../../platforms/osis/osis-credentials.ts";
import type { ClaimedPerson } from "../claimed-person.ts";
import type { S3KeysOutcome } from "../outcome.ts";
import { applyOsis, type OsisStepOptions, type ResolvedOsisUser } from "./osis-target.ts";
import type { TargetChange } from "./target-change.ts";

/** Rounds of writes before keys that keep appearing unwanted are `not_applied`. */
const MAX_KEY_ROUNDS = 2;

/** The event's keys, as the ledger holds them for the step (osis-key-rules.ts). */
export interface KeyProgress {
  /** `OSIS_CREDENTIALS`: `ignore` leaves keys alone. */
  mode: "deactivate" | "ignore";
  event: string;
  /** Rule 2: the keys off before the user's write, if this event read them already. */
  inactiveBefore: readonly string[] | undefined;
  /** The person's keys record before this event. */
  last: OsisKeysRecord | undefined;
  now(): number;
  /** Writes rule 2's keys to the ledger, before the user's write. */
  saveInactiveBefore(keys: readonly string[]): Promise<void>;
  /** Holds the settled record for the write that marks the target done. */
  settle(record: OsisKeysRecord): void;
}

/** A person's claimed ledger record as the keys step sees it. */
export function keyProgressOf(
  mode: KeyProgress["mode"],
  event: Pick<LifecycleEvent, "source" | "id">,
  person: ClaimedPerson,
  now: () => number,
): KeyProgress {
  const { record } = person;
  return {
    mode,
    event: eventKey(event),
    inactiveBefore: record.inProgress?.osisKeysInactiveBefore,
    last: record.osisKeys,
    now,
    saveInactiveBefore: (keys) => person.save(markKeysInactiveBefore(person.record, keys, now())),
    settle: (osisKeys) => person.stage({ ...person.record, osisKeys }),
  };
}

/**
 * The OSIS target with its S3 keys: the keys listed before the user's write (when there is
 * one), the user changed, then the keys listed and each set as the rules want, and listed
 * again to confirm. Key calls fail as every OSIS call does (transient → the event is retried,
 * resuming here; permanent → DLQ, target `osis`, the access key named); 501 means the platform
 * manages keys itself.
 */
export async function applyOsisWithKeys(
  resolved: ResolvedOsisUser,
  wantActive: boolean,
  options: OsisStepOptions,
  openGate: () => Promise<void>,
  signal: AbortSignal,
  progress: KeyProgress,
): Promise<TargetChange> {
  if (progress.mode === "ignore") {
    return applyOsis(resolved, wantActive, options, openGate, signal);
  }
  const { platform } = options;
  const owner = { tenantId: resolved.tenantId, userId: resolved.userId };
  const change: KeyChange = wantActive ? "rehire" : "offboard";
  let inactiveBefore = progress.inactiveBefore;
  if (inactiveBefore === undefined && isOsisUserActive(resolved.user) !== wantActive) {
    const before = await platform.listKeys(owner.tenantId, owner.userId, signal);
    inactiveBefore = inactiveKeys(before);
    // Only a key the user's write could flip needs the ledger's memory (rule 2): an offboard
    // with none active, or a rehire with none inactive, reads the same list on a retry.
    const flippable = before.some((key) => key.active === (change === "offboard"));
    if (flippable) await progress.saveInactiveBefore(inactiveBefore);
  }
  const userChange = await applyOsis(resolved, wantActive, options, openGate, signal);

  // Each round lists the keys and writes those not as wanted; a round that writes nothing has
  // confirmed the last one. A key written once and shown unchanged after is `not_applied`.
  const written = new Set<string>();
  let keys: readonly OsisKey[] = [];
  let platformManaged = false;
  for (let round = 1; ; round += 1) {
    const changesFor = async (listed: readonly OsisKey[]) => {
      keys = listed;
      // Without a write to the user nothing flipped a key: those off now were off before.
      inactiveBefore ??= inactiveKeys(listed);
      const wanted = keyWrites(change, listed, inactiveBefore, progress.last);
      const stuck = wanted.find((write) => written.has(write.accessKey));
      if (stuck !== undefined || (round > MAX_KEY_ROUNDS && wanted.length > 0)) {
        throw notApplied(stuck ?? wanted[0]);
      }
      if (wanted.length > 0) await openGate();
      return wanted;
    };
    try {
      const done = await platform.setKeysActive(owner, changesFor, signal);
      if (done.written.length === 0) break;
      for (const write of done.written) written.add(write.accessKey);
    } catch (error) {
      if (!(error instanceof UnsupportedError)) throw error;
      platformManaged = true;
      break;
    }
  }
  progress.settle(
    settledKeys({
      change,
      event: progress.event,
      at: progress.now(),
      keys,
      inactiveBefore: inactiveBefore ?? [],
      last: progress.last,
      platformManaged,
    }),
  );
  return userChange === "written" || written.size > 0 ? "written" : "unchanged";
}

function notApplied(key: OsisKey | undefined): NotAppliedError {
  return new NotAppliedError(
    `osis listCredentials: access key ${key?.accessKey} is still ${key?.active ? "inactive" : "active"} after updateCredentialStatus (not_applied)`,
    { platform: "osis", operation: "updateCredentialStatus" },
  );
}

/** What the outcome reports of the event's keys: the ledger's record, if this event made it. */
export function s3KeysOutcomeOf(
  record: PersonRecord,
  event: Pick<LifecycleEvent, "source" | "id">,
): S3KeysOutcome | undefined {
  const keys = record.osisKeys;
  if (keys === undefined || keys.event !== eventKey(event)) return undefined;
  const some = (ids: readonly string[] | undefined) =>
    ids && ids.length > 0 ? [...ids] : undefined;
  const outcome: S3KeysOutcome = {
    deactivated: some(keys.deactivated),
    reactivated: some(keys.reactivated),
    alreadyInactive: some(keys.alreadyInactive),
    platformManaged: keys.platformManaged,
  };
  return Object.fromEntries(
    Object.entries(outcome).filter(([, value]) => value !== undefined),
  ) as S3KeysOutcome;
}
