import { setTimeout as sleep } from "node:timers/promises";
import type { PlatformName } from "../errors/platform-errors.ts";
import type { ExchangeResult } from "../http/call-gate.ts";
import type { CallPace } from "../http/call-pace.ts";
import type { Logger } from "../logging/logger.ts";
import { AnswerWindow } from "./answer-window.ts";
import {
  afterRefusal,
  DEFAULT_PACE_SETTINGS,
  giveTurnBack,
  type PaceSettings,
  type PaceState,
  takeTurn,
  UNPACED,
} from "./pace-rules.ts";

export interface PlatformPaceOptions {
  platform: PlatformName;
  settings?: PaceSettings | undefined;
  logger?: Logger | undefined;
}

/**
 * The pace of one platform's requests in this execution environment (pace-rules.ts has the
 * rules): in memory, because it is learned from this environment's own answers. Logs when it
 * starts pacing a platform and when it stops, not at every cut. Times are `performance.now()`.
 */
export class PlatformPace implements CallPace {
  readonly #options: PlatformPaceOptions;
  readonly #settings: PaceSettings;
  readonly #answers = new AnswerWindow();
  #state: PaceState = UNPACED;

  constructor(options: PlatformPaceOptions) {
    this.#options = options;
    this.#settings = options.settings ?? DEFAULT_PACE_SETTINGS;
  }

  /** Requests a second it allows now; undefined while unpaced. */
  get perSecond(): number | undefined {
    return this.#state.perSecond;
  }

  async wait(signal?: AbortSignal): Promise<void> {
    const now = performance.now();
    const startAt = this.#take(now);
    if (startAt <= now) return;
    // An abort ends the wait; the request then fails as aborted, before anything is sent.
    await sleep(startAt - now, undefined, { signal }).catch(() => {
      this.#state = giveTurnBack(this.#state, performance.now());
    });
  }

  took(): void {
    this.#take(performance.now());
  }

  answered({ status }: ExchangeResult, sentAt: number): void {
    if (typeof status !== "number") return;
    const now = performance.now();
    this.#answers.record(now, status === 429);
    if (status !== 429) return;
    const wasPaced = this.#state.perSecond !== undefined;
    this.#state = afterRefusal(
      this.#state,
      { now, sentAt, recent: this.#answers.recent(now) },
      this.#settings,
    );
    const perSecond = this.#state.perSecond;
    if (!wasPaced && perSecond !== undefined) {
      this.#log(
        "warn",
        `refuses requests (429): they are now paced at ${Math.round(perSecond)}/s and adapt`,
        perSecond,
      );
    }
  }

  #take(now: number): number {
    const wasPaced = this.#state.perSecond !== undefined;
    const { state, startAt } = takeTurn(this.#state, now, this.#settings);
    this.#state = state;
    if (wasPaced && state.perSecond === undefined) {
      this.#log("info", "no longer refuses requests: they are no longer paced", undefined);
    }
    return startAt;
  }

  #log(level: "info" | "warn", message: string, perSecond: number | undefined): void {
    const { platform, logger } = this.#options;
    logger?.[level](`${platform} ${message}`, {
      platform,
      ...(perSecond === undefined ? {} : { perSecond: Math.round(perSecond) }),
    });
  }
}
