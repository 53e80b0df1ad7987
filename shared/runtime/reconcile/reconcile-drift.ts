import type { FailureTarget } from "../../contract/dead-letter-attributes.ts";
import { NotFoundError, PlatformError } from "../errors/platform-errors.ts";
import type { LedgerReader, PersonRecord } from "../ledger/person-record.ts";
import { timelineOf, wantedNow } from "../ledger/timeline-rules.ts";
import { describeError } from "../logging/logger.ts";
import { FixedPace } from "../pace/fixed-pace.ts";
import type { AccountPlatform } from "../platforms/account-platform/account-platform.ts";
import { isOsisUserActive, type OsisPlatform } from "../platforms/osis/osis.ts";
import type { OsisDirectory } from "./osis-directory.ts";
import { activeKeysOfLeaver } from "./osis-key-drift.ts";

/**
 * Drift reconciliation: what the ledger says each person should be (`desiredEnabled`, the
 * newest applied event) against what each platform says the person is now. It only reads.
 * A platform that cannot answer is an error row, never drift: an outage must not look like a
 * wave of re-enabled accounts (nor trigger corrective events).
 */
export type AccountState = "enabled" | "disabled";

export interface DriftRow {
  subject: string;
  target: FailureTarget;
  /** The platform's user id (OSIS: `<tenant>/<user>`). */
  userId: string;
  wanted: AccountState;
  actual: AccountState;
  /** An OSIS S3 key of a leaver that is active: its access key id. */
  accessKey?: string;
}

export interface ReconcileError {
  subject: string;
  target: FailureTarget;
  userId: string;
  /** `not_found`: the user is gone from the platform; `unavailable`: the platform did not answer as hoped (outage, 5xx, 429, 401, timeout). */
  kind: "not_found" | "unavailable";
  detail: string;
}

/** People the ledger cannot judge now, and why. */
export interface SkippedPerson {
  subject: string;
  reason: "nothing_applied" | "event_in_progress" | "not_resolved" | "change_due";
}

export interface ReconcileReport {
  /** People compared (with at least one platform read tried). */
  checked: number;
  drift: DriftRow[];
  errors: ReconcileError[];
  skipped: SkippedPerson[];
  /** The ledger records of the drifted people, for building corrective events. */
  drifted: PersonRecord[];
}

export interface ReconcileOptions {
  /** Where the people come from, unless `people` gives them. */
  ledger?: LedgerReader | undefined;
  accountPlatform: AccountPlatform;
  osis: OsisPlatform;
  /** People read at once (each reads both platforms). */
  concurrency: number;
  /** Platform reads per second at most, across all workers; undefined: no limit. */
  ratePerSecond?: number | undefined;
  /** Only this person. */
  subject?: string | undefined;
  /** Only these people (one page of a scheduled pass), instead of the whole ledger. */
  people?: readonly PersonRecord[] | undefined;
  /**
   * OSIS users as listed in pages this run (osis-directory.ts): a person it shows as wanted
   * costs no read. Without it, each person's OSIS user is read by id.
   */
  osisDirectory?: OsisDirectory | undefined;
  /** `OSIS_CREDENTIALS`: `deactivate` (default) checks a leaver's S3 keys too. */
  osisCredentials?: "deactivate" | "ignore" | undefined;
  /** The run's pace, shared with the directory; made here from `ratePerSecond` if absent. */
  pace?: FixedPace | undefined;
  signal?: AbortSignal | undefined;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export async function reconcileDrift(options: ReconcileOptions): Promise<ReconcileReport> {
  const report: ReconcileReport = { checked: 0, drift: [], errors: [], skipped: [], drifted: [] };
  const pace =
    options.pace ??
    new FixedPace({
      perSecond: options.ratePerSecond,
      ...(options.now ? { now: options.now } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
    });
  const people = peopleOf(options);
  const iterator = people[Symbol.asyncIterator]();
  // Workers share one ledger iterator; its calls are chained so that one runs at a time.
  let turn: Promise<unknown> = Promise.resolve();
  const next = (): Promise<IteratorResult<PersonRecord>> => {
    const result = turn.then(() => iterator.next());
    turn = result.catch(() => undefined);
    return result;
  };

  const worker = async () => {
    for (;;) {
      if (options.signal?.aborted) return;
      const result = await next();
      if (result.done) return;
      await checkPerson(result.value, options, pace, report);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  const bySubject = (a: { subject: string }, b: { subject: string }) =>
    a.subject.localeCompare(b.subject);
  report.drift.sort(bySubject);
  report.errors.sort(bySubject);
  report.skipped.sort(bySubject);
  report.drifted.sort(bySubject);
  return report;
}

async function* peopleOf(options: ReconcileOptions): AsyncIterable<PersonRecord> {
  if (options.people !== undefined) {
    yield* options.people;
    return;
  }
  if (options.subject === undefined) {
    if (options.ledger === undefined) throw new Error("reconcileDrift needs a ledger or people");
    yield* options.ledger.listPeople();
    return;
  }
  const record = await options.ledger?.getPerson(options.subject);
  if (record !== undefined) yield record;
}

async function checkPerson(
  record: PersonRecord,
  options: ReconcileOptions,
  pace: FixedPace,
  report: ReconcileReport,
): Promise<void> {
  const { subject } = record;
  if (record.newestApplied === undefined || record.desiredEnabled === undefined) {
    report.skipped.push({ subject, reason: "nothing_applied" });
    return;
  }
  if (record.inProgress !== undefined) {
    // An event is being applied (or retried): the platforms may be half-way, on purpose.
    report.skipped.push({ subject, reason: "event_in_progress" });
    return;
  }
  const account = record.resolved?.accountPlatform;
  const osis = record.resolved?.osis;
  if (account === undefined && osis === undefined) {
    report.skipped.push({ subject, reason: "not_resolved" });
    return;
  }
  // The timeline (timeline-rules.ts, the consumer's own rule): unless a pending change governs
  // now, what the applied event wants is what is wanted now; a platform already as the next
  // pending change will make it (an account disabled by hand before the last day) is ahead of
  // the ledger, not drifted from it.
  const now = wantedNow(timelineOf(record), (options.now ?? Date.now)());
  if (now.due) {
    // A pending change governs now and the scheduler is putting it back on the queue.
    report.skipped.push({ subject, reason: "change_due" });
    return;
  }
  report.checked += 1;
  const wanted: AccountState = record.desiredEnabled ? "enabled" : "disabled";
  const ahead: AccountState | undefined =
    now.ahead === undefined ? undefined : now.ahead ? "enabled" : "disabled";
  let drifted = false;

  const failed = (target: FailureTarget, userId: string, error: unknown) =>
    report.errors.push({
      subject,
      target,
      userId,
      kind: error instanceof NotFoundError ? "not_found" : "unavailable",
      detail: error instanceof PlatformError ? error.message : String(describeError(error).message),
    });
  // Each platform request waits its turn on the pace (a listed OSIS user costs none).
  const read = async (
    target: FailureTarget,
    userId: string,
    actualOf: () => Promise<boolean>,
  ): Promise<void> => {
    try {
      const actual: AccountState = (await actualOf()) ? "enabled" : "disabled";
      if (actual !== wanted && actual !== ahead) {
        report.drift.push({ subject, target, userId, wanted, actual });
        drifted = true;
      }
    } catch (error) {
      failed(target, userId, error);
    }
  };

  const asWanted = (enabled: boolean) => {
    const state: AccountState = enabled ? "enabled" : "disabled";
    return state === wanted || state === ahead;
  };
  if (account) {
    await read("account-platform", account.userId, async () => {
      await pace.wait(options.signal);
      const user = await options.accountPlatform.getUser(account.userId, options.signal);
      return user.enabled;
    });
  }
  if (osis) {
    await read("osis", `${osis.tenantId}/${osis.userId}`, async () => {
      const listed = await options.osisDirectory?.find(osis.tenantId, osis.userId, options.signal);
      if (listed !== undefined && asWanted(isOsisUserActive(listed)))
        return isOsisUserActive(listed);
      await pace.wait(options.signal);
      return isOsisUserActive(
        await options.osis.getUser(osis.tenantId, osis.userId, options.signal),
      );
    });
  }
  if (osis && (options.osisCredentials ?? "deactivate") === "deactivate" && ahead !== "enabled") {
    const userId = `${osis.tenantId}/${osis.userId}`;
    try {
      const active = await activeKeysOfLeaver(record, options.osis, pace, options.signal);
      for (const accessKey of active) {
        report.drift.push({
          subject,
          target: "osis",
          userId,
          wanted,
          actual: "enabled",
          accessKey,
        });
      }
      drifted ||= active.length > 0;
    } catch (error) {
      failed("osis", userId, error);
    }
  }
  if (drifted) report.drifted.push(record);
}
