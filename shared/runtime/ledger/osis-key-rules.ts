import type { OsisKey } from "../platforms/osis/osis-credentials.ts";
import type { OsisKeysRecord, PersonRecord } from "./person-record.ts";

/**
 * What an offboard and a rehire do to a person's OSIS S3 keys, as plain functions over access
 * key ids and active flags (the calls are shared/runtime/consumer/targets/osis-keys-step.ts):
 * 1. An offboard leaves every key of the person inactive, whoever made it and whenever.
 * 2. The keys inactive before the event changes the user are read once, before the user's
 *    write, and kept in the event's progress: a retry after the write reads them from there,
 *    so a key the platform switched off with the user is not taken for one that was off before.
 * 3. An offboard records as `deactivated` every key inactive after it that was not before it
 *    (turned off by the product's call, or by the platform with the user), and as
 *    `alreadyInactive` the keys that were off before it.
 * 4. An offboard after an offboard (a correction, a redrive) adds to the keys the first one
 *    deactivated; the keys already inactive stay the first one's.
 * 5. A rehire turns back on the keys the last offboard deactivated, and only those.
 * 6. A rehire leaves off every other key that was off before it: one the platform switched on
 *    with the user is turned off again.
 * 7. A key that was active before a rehire is left as it is.
 * 8. 501 to updateCredentialStatus: the platform manages keys with the user; no key is written
 *    after it, and the record says so (it is not a failure).
 */
export type KeyChange = OsisKeysRecord["change"];

/** The writes that make `keys` what the change wants (rules 1, 5, 6, 7). */
export function keyWrites(
  change: KeyChange,
  keys: readonly OsisKey[],
  inactiveBefore: readonly string[],
  last: OsisKeysRecord | undefined,
): OsisKey[] {
  const restore = new Set(restorable(last));
  const offBefore = new Set(inactiveBefore);
  return keys.flatMap((key) => {
    const want =
      change === "offboard"
        ? false
        : restore.has(key.accessKey)
          ? true
          : offBefore.has(key.accessKey)
            ? false
            : key.active;
    return key.active === want ? [] : [{ accessKey: key.accessKey, active: want }];
  });
}

/** Rule 2: the keys off before the user's write. */
export function inactiveKeys(keys: readonly OsisKey[]): string[] {
  return keys.filter((key) => !key.active).map((key) => key.accessKey);
}

/** The person's keys record once the event is done with them (rules 3, 4, 5, 8). */
export function settledKeys(input: {
  change: KeyChange;
  event: string;
  at: number;
  keys: readonly OsisKey[];
  inactiveBefore: readonly string[];
  last: OsisKeysRecord | undefined;
  platformManaged: boolean;
}): OsisKeysRecord {
  const { change, keys, last } = input;
  const offBefore = new Set(input.inactiveBefore);
  const inactive = inactiveKeys(keys);
  const managed = input.platformManaged ? { platformManaged: true } : {};
  if (change === "offboard") {
    const earlier = last?.change === "offboard" ? last : undefined;
    const alreadyInactive = earlier?.alreadyInactive ?? [...input.inactiveBefore];
    return {
      change,
      event: input.event,
      at: input.at,
      deactivated: union(
        earlier?.deactivated ?? [],
        inactive.filter((id) => !offBefore.has(id) && !alreadyInactive.includes(id)),
      ),
      alreadyInactive,
      ...managed,
    };
  }
  const restore = new Set(restorable(last));
  return {
    change,
    event: input.event,
    at: input.at,
    deactivated: [],
    alreadyInactive: inactive,
    reactivated: keys
      .filter((key) => key.active && restore.has(key.accessKey))
      .map((key) => key.accessKey),
    ...managed,
  };
}

/** Rule 2, in the ledger: the event's progress keeps the keys that were off before it. */
export function markKeysInactiveBefore(
  record: PersonRecord,
  inactiveBefore: readonly string[],
  now: number,
): PersonRecord {
  const current = record.inProgress;
  if (current === undefined) return record;
  return {
    ...record,
    inProgress: { ...current, osisKeysInactiveBefore: [...inactiveBefore] },
    updatedAt: now,
  };
}

/** Rule 5: what a rehire may turn back on (nothing unless the last change was an offboard). */
function restorable(last: OsisKeysRecord | undefined): readonly string[] {
  return last?.change === "offboard" ? last.deactivated : [];
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
