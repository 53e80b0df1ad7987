/**
 * What goes wrong, on purpose: fault rules for the next N calls to an operation, a baseline
 * latency, a per-second rate limit, and seeded random faults for chaos tests. The simulator
 * asks it, for each platform call, what to do; see local/simulators/README.md for the rules.
 */

import { RateLimit } from "./rate-limit.ts";
import { mulberry32 } from "./seeded-random.ts";

export interface FaultRule {
  /** An operation name (see the README), or "*" for every operation. */
  operation: string | "*";
  /** How many matching calls it applies to (default 1; Infinity allowed). */
  times?: number;
  /** Answer this status instead of doing the operation. */
  status?: number;
  /** Raw body for that answer (default: the platform's documented error shape). */
  body?: string;
  contentType?: string;
  /** Retry-After header value ("2" or an HTTP date). */
  retryAfter?: string;
  /** Delay before answering, on top of the baseline latency. */
  latencyMs?: number;
  /** Destroy the socket without answering: before doing the operation, or after applying it. */
  reset?: "before" | "after-apply";
  /** A concurrent writer bumps the target user's version just before this call. */
  bumpVersion?: boolean;
}

export const RANDOM_FAULT_KINDS = ["5xx", "429", "slow", "reset", "conflict"] as const;
export type RandomFaultKind = (typeof RANDOM_FAULT_KINDS)[number];

export interface RandomFaultOptions {
  seed: number;
  /** Probability (0..1) that a call gets a fault. */
  rate: number;
  kinds: RandomFaultKind[];
  /** Latency of a "slow" fault (default 1000 ms). */
  slowMs?: number;
  /** Retry-After of a "429" fault (default "1"). */
  retryAfter?: string;
}

/**
 * The platform is down for a period: every call answers 503 (`"503"`), or its connection is
 * closed at once without an answer (`"refuse"`: the client sees a connection error, as with a
 * refused connection, while the control surface stays reachable), or every call is throttled
 * (`"throttle"`: the way the service says so, 429 with `Retry-After` from a platform, HTTP 400
 * `ThrottlingException` from the DynamoDB stand-in).
 */
export const OUTAGE_MODES = ["503", "refuse", "throttle"] as const;
export type OutageMode = (typeof OUTAGE_MODES)[number];

export interface Outage {
  mode: OutageMode;
  /** Epoch ms (wall clock) when it ends by itself; undefined: until ended. */
  until?: number | undefined;
}

/** What happens to one call: a rule's effect without its bookkeeping. */
export type FaultAction = Omit<FaultRule, "operation" | "times">;

const RESETS = ["before", "after-apply"] as const;
const SERVER_ERRORS = [500, 502, 503, 504] as const;
const DEFAULT_SLOW_MS = 1_000;

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

export class FaultInjector {
  #rules: ActiveRule[] = [];
  #latencyMs = 0;
  #rateLimit: { bucket: RateLimit; retryAfter: string } | undefined;
  #random: { options: RandomFaultOptions; next: () => number } | undefined;
  #outage: Outage | undefined;

  /** Rules are consumed in order of addition: a call takes one use of the first that matches. */
  add(rule: FaultRule): void {
    validateRule(rule);
    this.#rules.push({ rule: { ...rule }, remaining: rule.times ?? 1 });
  }

  /** Removes every rule and stops random faults (latency and rate limit have their own setters). */
  clear(): void {
    this.#rules = [];
    this.#random = undefined;
  }

  /** Back to no faults at all: clear(), no latency, no rate limit, no outage. */
  reset(): void {
    this.clear();
    this.#outage = undefined;
    this.#latencyMs = 0;
    this.#rateLimit = undefined;
  }

  /** Baseline latency for every platform call. */
  setLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`latency must be ≥ 0 ms, got ${ms}`);
    this.#latencyMs = ms;
  }

  /** A token bucket for the whole simulator; over it → 429 with Retry-After. undefined = off. */
  setRateLimit(perSecond: number | undefined, retryAfterSeconds = 1): void {
    if (perSecond === undefined) {
      this.#rateLimit = undefined;
      return;
    }
    if (!Number.isFinite(retryAfterSeconds) || retryAfterSeconds < 0) {
      throw new RangeError(`retryAfterSeconds must be ≥ 0, got ${retryAfterSeconds}`);
    }
    this.#rateLimit = {
      bucket: new RateLimit(perSecond),
      retryAfter: String(Math.ceil(retryAfterSeconds)),
    };
  }

  /** Seeded random faults for calls no rule matched; random(undefined) stops them. */
  random(options: RandomFaultOptions | undefined): void {
    if (options === undefined) {
      this.#random = undefined;
      return;
    }
    validateRandom(options);
    this.#random = {
      options: { ...options, kinds: [...options.kinds] },
      next: mulberry32(options.seed),
    };
  }

  /** Starts an outage of every operation for `durationMs` (default: until `endOutage`). */
  startOutage(mode: OutageMode, durationMs?: number): void {
    if (!(OUTAGE_MODES as readonly string[]).includes(mode)) {
      throw new TypeError(`an outage's mode must be one of ${OUTAGE_MODES.join(", ")}`);
    }
    if (durationMs !== undefined && !(Number.isFinite(durationMs) && durationMs > 0)) {
      throw new RangeError(`an outage lasts more than 0 ms, got ${durationMs}`);
    }
    this.#outage = { mode, until: durationMs === undefined ? undefined : Date.now() + durationMs };
  }

  endOutage(): void {
    this.#outage = undefined;
  }

  /** The outage in force now, if any (one whose time is over ends here). */
  get outage(): Outage | undefined {
    const until = this.#outage?.until;
    if (until !== undefined && Date.now() >= until) this.#outage = undefined;
    return this.#outage === undefined ? undefined : { ...this.#outage };
  }

  /** The rules still waiting, with the uses they have left. */
  pending(): FaultRule[] {
    return this.#rules.map(({ rule, remaining }) => ({ ...rule, times: remaining }));
  }

  get latencyMs(): number {
    return this.#latencyMs;
  }

  get rateLimit(): { perSecond: number; retryAfter: string } | undefined {
    if (this.#rateLimit === undefined) return undefined;
    return { perSecond: this.#rateLimit.bucket.perSecond, retryAfter: this.#rateLimit.retryAfter };
  }

  /** The Retry-After to answer with when this call is over the rate limit, else undefined. */
  overRateLimit(): string | undefined {
    if (this.#rateLimit === undefined || this.#rateLimit.bucket.take()) return undefined;
    return this.#rateLimit.retryAfter;
  }

  /** What to do to the next call of `operation`; consumes one use of the matching rule. */
  next(operation: string, write: boolean): FaultAction | undefined {
    const index = this.#rules.findIndex(
      ({ rule }) => rule.operation === "*" || rule.operation === operation,
    );
    const active = this.#rules[index];
    if (active !== undefined) {
      active.remaining -= 1;
      if (active.remaining <= 0) this.#rules.splice(index, 1);
      const { operation: _operation, times: _times, ...action } = active.rule;
      return action;
    }
    return this.#randomAction(write);
  }

  /** Three draws per faulted call, one per unfaulted call: a replay with the same calls matches. */
  #randomAction(write: boolean): FaultAction | undefined {
    if (this.#random === undefined) return undefined;
    const { options, next } = this.#random;
    if (next() >= options.rate) return undefined;
    const kind = options.kinds[Math.floor(next() * options.kinds.length)];
    const detail = next();
    switch (kind) {
      case "5xx":
        return { status: SERVER_ERRORS[Math.floor(detail * SERVER_ERRORS.length)] ?? 503 };
      case "429":
        return { status: 429, retryAfter: options.retryAfter ?? "1" };
      case "slow":
        return { latencyMs: options.slowMs ?? DEFAULT_SLOW_MS };
      case "reset":
        return { reset: write && detail < 0.5 ? "after-apply" : "before" };
      case "conflict":
        return { bumpVersion: true };
      default:
        return undefined;
    }
  }
}

function validateRule(rule: FaultRule): void {
  const problems: string[] = [];
  if (typeof rule.operation !== "string" || rule.operation === "") {
    problems.push('operation must be an operation name or "*"');
  }
  if (
    rule.times !== undefined &&
    !(rule.times === Infinity || (Number.isInteger(rule.times) && rule.times > 0))
  ) {
    problems.push("times must be a positive integer or Infinity");
  }
  if (
    rule.status !== undefined &&
    !(Number.isInteger(rule.status) && rule.status >= 200 && rule.status <= 599)
  ) {
    problems.push("status must be an HTTP status from 200 to 599");
  }
  for (const key of ["body", "contentType", "retryAfter"] as const) {
    if (rule[key] !== undefined && typeof rule[key] !== "string")
      problems.push(`${key} must be a string`);
  }
  if (rule.latencyMs !== undefined && !(Number.isFinite(rule.latencyMs) && rule.latencyMs >= 0)) {
    problems.push("latencyMs must be ≥ 0");
  }
  if (rule.reset !== undefined && !(RESETS as readonly string[]).includes(rule.reset)) {
    problems.push('reset must be "before" or "after-apply"');
  }
  if (rule.bumpVersion !== undefined && typeof rule.bumpVersion !== "boolean") {
    problems.push("bumpVersion must be a boolean");
  }
  const effects = [rule.status, rule.latencyMs, rule.reset, rule.bumpVersion];
  if (effects.every((effect) => effect === undefined || effect === false)) {
    problems.push("a rule needs an effect: status, latencyMs, reset or bumpVersion");
  }
  if (problems.length > 0) throw new TypeError(`invalid fault rule: ${problems.join("; ")}`);
}

function validateRandom(options: RandomFaultOptions): void {
  const problems: string[] = [];
  if (!Number.isFinite(options.seed)) problems.push("seed must be a number");
  if (!(options.rate >= 0 && options.rate <= 1)) problems.push("rate must be between 0 and 1");
  if (
    !Array.isArray(options.kinds) ||
    options.kinds.length === 0 ||
    !options.kinds.every((kind) => (RANDOM_FAULT_KINDS as readonly string[]).includes(kind))
  ) {
    problems.push(`kinds must be a non-empty list of ${RANDOM_FAULT_KINDS.join(", ")}`);
  }
  if (options.slowMs !== undefined && !(Number.isFinite(options.slowMs) && options.slowMs >= 0)) {
    problems.push("slowMs must be ≥ 0");
  }
  if (problems.length > 0) throw new TypeError(`invalid random faults: ${problems.join("; ")}`);
}
