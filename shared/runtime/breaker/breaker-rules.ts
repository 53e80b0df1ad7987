import type { CallStatus } from "../http/call-record.ts";

/**
 * The circuit breaker of one platform, as plain functions over its state (the state lives in
 * the ledger table, `PLATFORM#<platform>`, shared by every invocation; breaker-store.ts writes
 * it with single-item conditional writes):
 *
 * 1. Closed: every call goes. An exchange that shows an outage (below) adds one to
 *    `failures`; any other answer sets it back to 0 (in every environment, whatever it last
 *    read: a conditional write that changes nothing while none is counted). So `failures`
 *    counts consecutive outage signs across all invocations.
 * 2. At `failureThreshold` consecutive failures the breaker opens; the next probe is due one
 *    probe interval later. Exactly one invocation opens it (a conditional write) and logs it.
 *    A caller that knows the count reached the threshold calls no more, even before the
 *    opening is written.
 * 3. Open, before `nextProbeAt`: no call is made; the caller waits (`CircuitOpenError`).
 * 4. Open, from `nextProbeAt`: one caller takes the probe by moving `nextProbeAt` one interval
 *    on (a conditional write: one winner), and makes its call (half-open). Every other caller
 *    still waits, so all invocations together call a down platform at most once an interval.
 * 5. The probe's answer decides: no outage sign → closed (failures 0), logged once; an outage
 *    sign → it stays open, the next probe already one interval away.
 * 6. A state that cannot be read or written counts as closed: the breaker fails safe to
 *    today's behaviour (calls go, attempts count), never to "stop calling forever".
 */
export interface BreakerState {
  phase: "closed" | "open";
  /** Consecutive exchanges that showed an outage (rule 1). */
  failures: number;
  /** Epoch ms, while open. */
  openedAt?: number | undefined;
  /** Epoch ms: no call before it while open (rules 3, 4). */
  nextProbeAt?: number | undefined;
  /** Epoch ms of the last close. */
  closedAt?: number | undefined;
  /** Epoch ms of the last write: of two answers about the item, the later one holds. */
  updatedAt?: number | undefined;
}

export interface BreakerSettings {
  failureThreshold: number;
  probeIntervalMs: number;
}

export const CLOSED_BREAKER: BreakerState = { phase: "closed", failures: 0 };

export type CallDecision = "call" | "probe" | "wait";

/** Rules 1 to 4. */
export function decideCall(
  state: BreakerState,
  now: number,
  settings: BreakerSettings,
): CallDecision {
  if (state.phase === "closed") return shouldOpen(state, settings) ? "wait" : "call";
  return now >= (state.nextProbeAt ?? 0) ? "probe" : "wait";
}

/**
 * What the platform's answer says of its health. 429 is not an outage (the platform is up and
 * asks us to slow down: the rate limit's concern), nor is any other answer it chose to give;
 * 501 is a permanent "not implemented".
 */
export function isOutageSign(status: CallStatus): boolean {
  if (status === "timeout" || status === "network") return true;
  if (status === "aborted") return false;
  return status === 408 || (status >= 500 && status !== 501);
}

/** Rule 2. */
export function shouldOpen(state: BreakerState, settings: BreakerSettings): boolean {
  return state.phase === "closed" && state.failures >= settings.failureThreshold;
}

/** Open, with the first probe one interval from now (rule 2). */
export function opened(now: number, settings: BreakerSettings, failures: number): BreakerState {
  return {
    phase: "open",
    failures,
    openedAt: now,
    nextProbeAt: now + settings.probeIntervalMs,
    updatedAt: now,
  };
}
