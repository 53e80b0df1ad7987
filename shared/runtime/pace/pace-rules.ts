import type { RecentAnswers } from "./answer-window.ts";

/**
 * The pace of one caller's requests to one platform, as plain functions over its state. A
 * platform's rate limit is shared by everyone who calls it and it tells each caller only "429"
 * when that caller is over, so each execution environment learns a pace of its own from the
 * answers it gets (platform-pace.ts keeps the state in memory and watches the answers):
 *
 * 1. Unpaced until refusals are heavy: at least `heavyShare` of the recent answers were 429
 *    (a share of 200 answers at least), or `clump` of the last 10 answers were (a rate limit
 *    refuses every request over it, so a burst of requests meets a clump of refusals). A
 *    sporadic 429 (a platform that refuses a few requests whatever the rate) sets no pace, nor
 *    does one among the few answers of a slow caller; the refused request is asked again after
 *    its `Retry-After`, as always.
 * 2. Heavy refusals set the pace to `cutTo` of the rate the platform answered (not 429)
 *    recently: what it just accepted is the best estimate of its limit, so the pace lands just
 *    under it instead of halving.
 * 3. Paced, a 429 to a request sent `settleMs` after the last cut (one the new pace had time
 *    to govern) cuts the pace again to `cutTo` of the answered rate, or of the pace when
 *    that is lower. A 429 to a request sent earlier says nothing of the pace since.
 * 4. A cut at most halves the pace (a window can be swamped by the retries of requests refused
 *    before it), and never goes below `floorPerSecond`.
 * 5. Paced: requests start 1/pace apart, in order of arrival. A request whose caller stops
 *    waiting (its deadline) gives its turn back: turns kept by callers long gone would push
 *    every later turn past every deadline, and nothing would be sent again.
 * 6. While requests wait for their turn (the pace binds), it grows by `growthPerSecond` a
 *    second, probing for capacity the platform may have regained; by `regainPerSecond` while it
 *    is below `regainBelow` of the best rate the platform accepted from paced requests (each
 *    cut keeps `bestDecay` of that best: a burst allowance can inflate one estimate), so that a
 *    cut too deep costs seconds rather than minutes. A pace nobody waits for stays as it is.
 * 7. `forgetAfterMs` with neither a cut nor a request that had to wait: unpaced again (rule 1).
 *    A pace that holds requests back stays, however long it has kept 429s away.
 * 8. Until a whole window of answers has been watched (a fresh execution environment), no 429
 *    sets or cuts a pace: the first burst would read as a rate the platform never sustains.
 */
export interface PaceSettings {
  cutTo: number;
  heavyShare: number;
  clump: number;
  settleMs: number;
  growthPerSecond: number;
  regainPerSecond: number;
  regainBelow: number;
  bestDecay: number;
  floorPerSecond: number;
  forgetAfterMs: number;
}

export const DEFAULT_PACE_SETTINGS: PaceSettings = {
  cutTo: 0.95,
  heavyShare: 0.05,
  clump: 4,
  settleMs: 1_000,
  growthPerSecond: 0.0075,
  regainPerSecond: 0.1,
  regainBelow: 0.75,
  bestDecay: 0.98,
  floorPerSecond: 1,
  forgetAfterMs: 60_000,
};

export interface PaceState {
  /** Requests a second; undefined: unpaced (rule 1). */
  perSecond: number | undefined;
  /** The best rate the platform accepted, paced, when it refused, fading at each cut (rule 6). */
  bestLimit: number;
  /** Time (ms) of the last cut (rules 3, 7). */
  cutAt: number;
  /** Earliest time the next request may start (rule 5). */
  nextSlotAt: number;
  /** Time up to which growth has been credited (rule 6). */
  grownAt: number;
  /** Time a request last had to wait for its turn (rule 7). */
  heldAt: number;
}

export const UNPACED: PaceState = {
  perSecond: undefined,
  bestLimit: 0,
  cutAt: Number.NEGATIVE_INFINITY,
  nextSlotAt: Number.NEGATIVE_INFINITY,
  grownAt: Number.NEGATIVE_INFINITY,
  heldAt: Number.NEGATIVE_INFINITY,
};

/** When the next request may start, and the state once it has taken that turn (rules 5-7). */
export function takeTurn(
  state: PaceState,
  now: number,
  settings: PaceSettings,
): { state: PaceState; startAt: number } {
  const quietSince = Math.max(state.cutAt, state.heldAt);
  // Rule 7.
  if (state.perSecond === undefined || now - quietSince >= settings.forgetAfterMs) {
    return { state: UNPACED, startAt: now };
  }
  const startAt = Math.max(now, state.nextSlotAt);
  const held = startAt > now;
  // Rule 6: credited only for time during which requests waited.
  const growth =
    state.perSecond < settings.regainBelow * state.bestLimit
      ? settings.regainPerSecond
      : settings.growthPerSecond;
  const perSecond = held
    ? state.perSecond * (1 + (growth * (now - state.grownAt)) / 1000)
    : state.perSecond;
  return {
    state: {
      ...state,
      perSecond,
      nextSlotAt: startAt + 1000 / perSecond,
      grownAt: now,
      heldAt: held ? now : state.heldAt,
    },
    startAt,
  };
}

/** A waiting request given up before its turn: the turns after it move one earlier (rule 5). */
export function giveTurnBack(state: PaceState, now: number): PaceState {
  if (state.perSecond === undefined) return state;
  return { ...state, nextSlotAt: Math.max(now, state.nextSlotAt - 1000 / state.perSecond) };
}

/** The state after a 429 to a request sent at `sentAt` (rules 1-4, 8). */
export function afterRefusal(
  state: PaceState,
  refusal: { now: number; sentAt: number; recent: RecentAnswers | undefined },
  settings: PaceSettings,
): PaceState {
  const { recent } = refusal;
  // Rule 8.
  if (recent === undefined) return state;
  const paced = state.perSecond;
  const cuts =
    paced === undefined
      ? (recent.refusedShare !== undefined && recent.refusedShare >= settings.heavyShare) ||
        recent.refusedInClump >= settings.clump // Rule 1.
      : refusal.sentAt >= state.cutAt + settings.settleMs; // Rule 3.
  if (!cuts) return state;
  // Rules 2 to 4.
  const accepted = Math.min(recent.answeredPerSecond, paced ?? Number.POSITIVE_INFINITY);
  const limit = paced === undefined ? accepted : Math.max(accepted, paced / 2);
  return {
    perSecond: Math.max(settings.floorPerSecond, settings.cutTo * limit),
    // The first estimate holds a fresh environment's burst: paced answers only.
    bestLimit: paced === undefined ? 0 : Math.max(state.bestLimit * settings.bestDecay, accepted),
    cutAt: refusal.now,
    nextSlotAt: paced === undefined ? refusal.now : state.nextSlotAt,
    grownAt: refusal.now,
    heldAt: state.heldAt,
  };
}
