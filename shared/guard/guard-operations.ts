import type { AuditSink } from "../dlq-operations/audit-log.ts";
import {
  bucketStartOf,
  DEFAULT_GUARD_SETTINGS,
  type GuardSettings,
  guardEnabled,
} from "./guard-settings.ts";
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
 * The guard as the ledger holds it. `given` are the consumer's settings as the CLI was told
 * them (flag or environment). Where the ledger recorded the consumer's own settings, they fill
 * what was not given: a tripped guard keeps the window and threshold it tripped with, and the
 * current window's item the threshold of the consumer's last count (it is what the consumer
 * enforces). The defaults come last.
 */
export async function readGuardStatus(
  store: GuardStore,
  given: Partial<GuardSettings>,
  now: number,
): Promise<GuardStatus> {
  const stored = await store.readState();
  const recorded: Partial<GuardSettings> = stored.tripped ? stored : {};
  const windowSeconds =
    given.windowSeconds ?? recorded.windowSeconds ?? DEFAULT_GUARD_SETTINGS.windowSeconds;
  const threshold = given.threshold ?? recorded.threshold ?? DEFAULT_GUARD_SETTINGS.threshold;
  const windowStart = windowSeconds > 0 ? bucketStartOf(now, windowSeconds) : now;
  const bucket = windowSeconds > 0 ? await store.readBucket(windowStart) : undefined;
  return {
    state: stored.tripped
      ? "tripped"
      : guardEnabled({ threshold, windowSeconds })
        ? "armed"
        : "disabled",
    count: bucket?.count ?? 0,
    threshold: bucket?.threshold ?? threshold,
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
  settings: Partial<GuardSettings>;
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
  await options.store.release({
    bucketStart: before.windowStart,
    now: options.now,
    by: options.operator,
  });
  return before;
}
