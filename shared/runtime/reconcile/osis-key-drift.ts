import type { PersonRecord } from "../ledger/person-record.ts";
import type { FixedPace } from "../pace/fixed-pace.ts";
import type { OsisCredentialPlatform } from "../platforms/osis/osis-credentials.ts";

/**
 * A person the ledger records as offboarded whose OSIS S3 key is active has drifted: the key
 * still signs requests. Only people whose offboard found keys are listed: one backend creates a
 * key when it lists none, and a reconciliation must not hand a leaver a new key. Nor those whose
 * platform manages keys itself (501): it reports keys it will not change, and a correction
 * could not change them either. Returns the active keys' access key ids (never more).
 */
export async function activeKeysOfLeaver(
  record: PersonRecord,
  osis: OsisCredentialPlatform,
  pace: FixedPace,
  signal?: AbortSignal,
): Promise<string[]> {
  const user = record.resolved?.osis;
  const recorded = record.osisKeys;
  if (user === undefined || record.desiredEnabled !== false || recorded?.change !== "offboard") {
    return [];
  }
  if (recorded.platformManaged) return [];
  if (recorded.deactivated.length + recorded.alreadyInactive.length === 0) return [];
  await pace.wait(signal);
  const keys = await osis.listKeys(user.tenantId, user.userId, signal);
  return keys.filter((key) => key.active).map((key) => key.accessKey);
}
