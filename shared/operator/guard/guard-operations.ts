import type { FailureReason } from "../../contract/dead-letter-attributes.ts";
import type { AuditSink } from "../../runtime/audit/audit-log.ts";
import { type DeadLetterEntry, failedAt } from "../../runtime/dlq/dead-letter-entry.ts";
import type { GuardDirection } from "../../runtime/guard/guard-keys.ts";
import {
  bucketStartOf,
  DEFAULT_GUARD_SETTINGS,
  type GuardSettings,
  guardEnabled,
  thresholdOf,
} from "../../runtime/guard/guard-settings.ts";
import type { GuardState, GuardStore } from "../../runtime/guard/guard-store.ts";

/** The DLQ reason of the offboards the guard holds. */
export const HELD_BY_GUARD: FailureReason = "held_by_guard";

/** What `lifecycle guard status` shows: the offboards' count, and the onboards' apart. */
export interface GuardStatus {
  state: "disabled" | "armed" | "tripped";
  /** Offboards counted in the current window. */
  count: number;
  threshold: number;
  /** Onboards that would enable someone, counted in the same window with their own threshold. */
  onboards: {
    state: "disabled" | "armed" | "tripped";
    count: number;
    threshold: number;
    trippedAt?: number | undefined;
  };
  windowSeconds: number;
  /**
   * Where the threshold and window come from: what the consumer recorded at its cold start,
   * else the settings the guard tripped with, else the defaults (no consumer has run yet).
   */
  settingsFrom: "consumer" | "tripped" | "default";
  windowStart: number;
  windowEnd: number;
  /** The stored state: when it tripped or was last released. */
  stored: GuardState;
}

/** The guard as the ledger holds it, in the settings the consumer recorded there. */
export async function readGuardStatus(store: GuardStore, now: number): Promise<GuardStatus> {
  const stored = await store.readState();
  const [settings, settingsFrom]: [GuardSettings, GuardStatus["settingsFrom"]] =
    stored.consumerSettings !== undefined
      ? [stored.consumerSettings, "consumer"]
      : stored.tripped && stored.threshold !== undefined && stored.windowSeconds !== undefined
        ? [{ threshold: stored.threshold, windowSeconds: stored.windowSeconds }, "tripped"]
        : [DEFAULT_GUARD_SETTINGS, "default"];
  const { threshold, windowSeconds } = settings;
  const windowStart = windowSeconds > 0 ? bucketStartOf(now, windowSeconds) : now;
  const bucket = windowSeconds > 0 ? await store.readBucket(windowStart) : undefined;
  const onboardsStored = await store.readState(undefined, "onboards");
  const onboardsBucket =
    windowSeconds > 0 ? await store.readBucket(windowStart, undefined, "onboards") : undefined;
  const stateOf = (tripped: boolean, direction: GuardDirection) =>
    tripped ? "tripped" : guardEnabled(settings, direction) ? "armed" : "disabled";
  return {
    state: stateOf(stored.tripped, "offboards"),
    count: bucket?.count ?? 0,
    threshold,
    onboards: {
      state: stateOf(onboardsStored.tripped, "onboards"),
      count: onboardsBucket?.count ?? 0,
      threshold: thresholdOf(settings, "onboards"),
      trippedAt: onboardsStored.trippedAt,
    },
    windowSeconds,
    settingsFrom,
    windowStart,
    windowEnd: windowStart + windowSeconds * 1000,
    stored,
  };
}

/** One person the guard holds: an offboard in the DLQ as `held_by_guard`. */
export interface HeldPerson {
  subject: string | undefined;
  eventId: string | undefined;
  eventTime: string | undefined;
  /** When the guard held it (`lifecycle.failure.at`), epoch ms. */
  heldSince: number | undefined;
}

export function heldPeopleOf(entries: readonly DeadLetterEntry[]): HeldPerson[] {
  return entries
    .filter((entry) => entry.failure.reason === HELD_BY_GUARD)
    .map((entry) => ({
      subject: entry.subject ?? entry.groupId,
      eventId: entry.eventId,
      eventTime: entry.eventTime,
      heldSince: failedAt(entry),
    }));
}

/**
 * Re-arms the guard and empties the current window's count. The audit line is written (and on
 * disk) before the change, like every operator action.
 */
export async function releaseGuard(options: {
  store: GuardStore;
  audit: AuditSink;
  operator: string;
  now: number;
  /** The same step redrives the held letters (of these people only, when given). */
  redrive?: { subjects: readonly string[] | undefined } | undefined;
}): Promise<GuardStatus> {
  const before = await readGuardStatus(options.store, options.now);
  await options.audit.write("guard_released", {
    ...(options.redrive ? { redrive: { subjects: options.redrive.subjects ?? "all" } } : {}),
    stateBefore: before.state,
    countBefore: before.count,
    onboardsStateBefore: before.onboards.state,
    onboardsCountBefore: before.onboards.count,
    threshold: before.threshold,
    windowSeconds: before.windowSeconds,
    windowStart: new Date(before.windowStart).toISOString(),
    trippedAt:
      before.stored.trippedAt === undefined
        ? undefined
        : new Date(before.stored.trippedAt).toISOString(),
  });
  await options.store.release({
    bucketStart: before.windowStart,
    now: options.now,
    by: options.operator,
  });
  return before;
}
