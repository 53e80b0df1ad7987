import { mulberry32 } from "../../../../local/simulators/common/seeded-random.ts";
import { AnswerWindow } from "../../../../shared/runtime/pace/answer-window.ts";
import {
  afterRefusal,
  DEFAULT_PACE_SETTINGS,
  type PaceState,
  takeTurn,
  UNPACED,
} from "../../../../shared/runtime/pace/pace-rules.ts";

/**
 * A consumer's requests to one platform on a virtual clock, through the pace's rules as
 * PlatformPace applies them: `callers` loop, each sending a request, waiting for its answer and
 * sending the next (as records do). A request refused with 429 is asked again after
 * `Retry-After` (1 s), twice at most, as the HTTP client does; then its record comes back after
 * a backoff. The platform is a token bucket of `limitPerSecond` (the simulators' rate limit:
 * a burst of one second's worth), and/or refuses a share of requests at random, whatever the
 * rate. Deterministic: a seed and the clock are all there is.
 */
export interface ModelSettings {
  callers: number;
  latencyMs: number;
  seconds: number;
  paced: boolean;
  limitPerSecond?: number | undefined;
  random429Share?: number | undefined;
  seed?: number | undefined;
}

export interface ModelResult {
  /** Answered (not 429) a second, after the first 10 s. */
  answeredPerSecond: number;
  /** Of every answer after the first 10 s. */
  share429: number;
}

const WARM_UP_MS = 10_000;
const RETRY_AFTER_MS = 1_000;
const RETRIES = 2;
const RECORD_BACKOFF_MS = 5_000;

type Step = {
  at: number;
  caller: number;
  kind: "new" | "retry" | "answer";
  sentAt?: number;
  status?: number;
  attempt: number;
};

export function runPaceModel(settings: ModelSettings): ModelResult {
  const random = mulberry32(settings.seed ?? 1);
  const limit = settings.limitPerSecond;
  const bucket = { tokens: limit ?? 0, at: 0 };
  const answers = new AnswerWindow();
  const counts = { answered: 0, refused: 0 };
  let state: PaceState = UNPACED;

  const steps: Step[] = [];
  const schedule = (step: Step) => {
    let index = steps.length;
    while (index > 0 && (steps[index - 1]?.at ?? 0) > step.at) index -= 1;
    steps.splice(index, 0, step);
  };
  const platformAnswers = (at: number): number => {
    if (settings.random429Share !== undefined && random() < settings.random429Share) return 429;
    if (limit === undefined) return 200;
    bucket.tokens = Math.min(limit, bucket.tokens + ((at - bucket.at) / 1000) * limit);
    bucket.at = at;
    if (bucket.tokens < 1) return 429;
    bucket.tokens -= 1;
    return 200;
  };
  const send = (at: number, caller: number, attempt: number) => {
    const status = platformAnswers(at + settings.latencyMs / 2);
    schedule({ at: at + settings.latencyMs, caller, kind: "answer", sentAt: at, status, attempt });
  };

  for (let caller = 0; caller < settings.callers; caller += 1) {
    schedule({ at: caller, caller, kind: "new", attempt: 1 });
  }
  const end = settings.seconds * 1000;
  for (let step = steps.shift(); step !== undefined && step.at <= end; step = steps.shift()) {
    if (step.kind === "new") {
      const turn = settings.paced ? takeTurn(state, step.at, DEFAULT_PACE_SETTINGS) : undefined;
      state = turn?.state ?? state;
      send(turn?.startAt ?? step.at, step.caller, 1);
    } else if (step.kind === "retry") {
      if (settings.paced) state = takeTurn(state, step.at, DEFAULT_PACE_SETTINGS).state;
      send(step.at, step.caller, step.attempt);
    } else {
      const refused = step.status === 429;
      answers.record(step.at, refused);
      if (step.at >= WARM_UP_MS) counts[refused ? "refused" : "answered"] += 1;
      if (!refused) {
        schedule({ at: step.at, caller: step.caller, kind: "new", attempt: 1 });
        continue;
      }
      if (settings.paced) {
        state = afterRefusal(
          state,
          { now: step.at, sentAt: step.sentAt ?? step.at, recent: answers.recent(step.at) },
          DEFAULT_PACE_SETTINGS,
        );
      }
      if (step.attempt > RETRIES) {
        schedule({ at: step.at + RECORD_BACKOFF_MS, caller: step.caller, kind: "new", attempt: 1 });
      } else {
        const at = step.at + RETRY_AFTER_MS;
        schedule({ at, caller: step.caller, kind: "retry", attempt: step.attempt + 1 });
      }
    }
  }
  return {
    answeredPerSecond: counts.answered / ((end - WARM_UP_MS) / 1000),
    share429: counts.refused / Math.max(1, counts.answered + counts.refused),
  };
}
