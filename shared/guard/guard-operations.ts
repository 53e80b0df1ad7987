import type { AuditSink } from "../dlq-operations/audit-log.ts";
import { bucketStartOf, type GuardSettings, guardEnabled } from "./guard-settings.ts";
import type { GuardState, GuardStore } from "./guard-store.ts";

/** What `lifecycle guard status` shows. */
export interface GuardStatus {
  state: "disabled" | "armed" | "tripped";
  /** Offboards counted in the current window. */
  count: number;
  threshold: number;
  windowSeconds: number;
  windowStart: number;
  windowEnd: number;
  /** The stored state: when it tripped or was last released. */
  stored: GuardState;
}

/**
 * The guard as the ledger holds it. `settings` are the consumer's (the CLI is told them by
 * flag or environment); where the current window's item recorded the consumer's own settings,
 * those win, since they are what the consumer enforces.
 */
export async function readGuardStatus(
  store: GuardStore,
  settings: GuardSettings,
  now: number,
): Promise<GuardStatus> {
  const stored = await store.readState();
  const windowSeconds = settings.windowSeconds;
  const windowStart = windowSeconds > 0 ? bucketStartOf(now, windowSeconds) : now;
  const bucket = windowSeconds > 0 ? await store.readBucket(windowStart) : undefined;
  const threshold = bucket?.threshold ?? settings.threshold;
  return {
    state: stored.tripped ? "tripped" : guardEnabled(settings) ? "armed" : "disabled",
    count: bucket?.count ?? 0,
    threshold,
    windowSeconds,
    windowStart,
    windowEnd: windowStart + windowSeconds * 1000,
    stored,
  };
}

/**
 * Re-arms the guard and empties the current window's count. The audit line is written (and on
 * disk) before the change, like every operator action.
 */
export async function releaseGuard(options: {
  store: GuardStore;
  settings: GuardSettings;
  audit: AuditSink;
  operator: string;
  now: number;
}): Promise<GuardStatus> {
  const before = await readGuardStatus(options.store, options.settings, options.now);
  await options.audit.write("guard_released", {
    stateBefore: before.state,
    countBefore: before.count,
    threshold: before.threshold,
    windowSeconds: before.windowSeconds,
    windowStart: new Date(before.windowStart).toISOString(),
    trippedAt:
      before.stored.trippedAt === undefined
        ? undefined
        : new Date(before.stored.trippedAt).toISOString(),
  });
  const windowSeconds = options.settings.windowSeconds;
  await options.store.release({
    bucketStart: windowSeconds > 0 ? bucketStartOf(options.now, windowSeconds) : options.now,
    now: options.now,
    by: options.operator,
  });
  return before;
}
