/**
 * A reconciliation pass: one walk over every person in the ledger, which may take several
 * scheduled runs (a run stops at its deadline and the next continues at the cursor). These are
 * the rules, apart from I/O; reconcile-pass-store.ts keeps the state in one ledger item.
 */

/** What a pass has counted so far. */
export interface PassCounts {
  /** People compared with at least one platform. */
  checked: number;
  /** People whose platforms differ from the ledger. */
  drifted: number;
  /** Platform reads that failed (an outage is not drift, but it hides drift). */
  errors: number;
  /** People the ledger cannot judge now (nothing applied, an event in progress, no ids). */
  skipped: number;
}

/** The pass being walked. */
export interface CurrentPass extends PassCounts {
  /** Epoch ms: when its first run began. */
  startedAt: number;
  /** The last ledger key its completed pages reached; absent before the first page. */
  cursor?: string | undefined;
  /** Scheduled runs that worked on it. */
  runs: number;
  /** Epoch ms of the last page recorded. */
  updatedAt: number;
}

/** A pass that reached the end of the ledger. */
export interface FinishedPass extends PassCounts {
  startedAt: number;
  finishedAt: number;
  /** finishedAt − startedAt, across every run. */
  durationMs: number;
  runs: number;
}

export interface PassState {
  current?: CurrentPass | undefined;
  last?: FinishedPass | undefined;
}

export const NO_COUNTS: PassCounts = { checked: 0, drifted: 0, errors: 0, skipped: 0 };

/** Why a run was invoked: its schedule starts a pass; the continuation only carries one on. */
export type RunTrigger = "start" | "continue";

/**
 * What a run does with the state it found:
 * 1. a pass is under way → continue it, whatever the trigger (a pass never restarts midway);
 * 2. none, and the trigger starts passes → begin a new one;
 * 3. none, and it is a continuation → nothing (the last pass is complete).
 */
export function planRun(
  state: PassState,
  trigger: RunTrigger,
  now: number,
):
  | { action: "continue"; pass: CurrentPass }
  | { action: "start"; pass: CurrentPass }
  | { action: "idle" } {
  if (state.current !== undefined) {
    return { action: "continue", pass: { ...state.current, runs: state.current.runs + 1 } };
  }
  if (trigger === "start") {
    return { action: "start", pass: { ...NO_COUNTS, startedAt: now, runs: 1, updatedAt: now } };
  }
  return { action: "idle" };
}

/** A completed page added to the pass: its counts, and the cursor after it. */
export function afterPage(
  pass: CurrentPass,
  page: PassCounts,
  cursor: string | undefined,
  now: number,
): CurrentPass {
  return {
    startedAt: pass.startedAt,
    runs: pass.runs,
    checked: pass.checked + page.checked,
    drifted: pass.drifted + page.drifted,
    errors: pass.errors + page.errors,
    skipped: pass.skipped + page.skipped,
    cursor,
    updatedAt: now,
  };
}

export function finishPass(pass: CurrentPass, now: number): FinishedPass {
  return {
    checked: pass.checked,
    drifted: pass.drifted,
    errors: pass.errors,
    skipped: pass.skipped,
    startedAt: pass.startedAt,
    finishedAt: now,
    durationMs: now - pass.startedAt,
    runs: pass.runs,
  };
}

/**
 * Seconds since everyone was last known checked: since the last full pass finished, or, before
 * any pass has finished, since the first one began (0 when none ever began). The alarm reads it.
 */
export function passAgeSeconds(state: PassState, now: number): number {
  const since = state.last?.finishedAt ?? state.current?.startedAt ?? now;
  return Math.max(0, Math.round((now - since) / 1000));
}
