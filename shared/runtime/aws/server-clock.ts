import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ClockSkewError } from "../errors/clock-skew-error.ts";

/** Most an operator's clock may differ from AWS's before a command takes a ledger claim. */
export const MAX_CLOCK_SKEW_MS = 30_000;

/**
 * AWS's clock as a client last saw it: the `Date` header of each answer (whole seconds), against
 * this machine's clock at that moment. A claim's expiry is this machine's time; the consumer
 * compares it with its own, so a command must not take one on a clock that is far off.
 */
export class ServerClock {
  readonly #now: () => number;
  #skewMs: number | undefined;

  private constructor(now: () => number) {
    this.#now = now;
  }

  /** Watches every answer `client` gets from now on. */
  static watch(client: Pick<DynamoDBClient, "middlewareStack">, now: () => number): ServerClock {
    const clock = new ServerClock(now);
    client.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const headers = (result.response as { headers?: Record<string, string> }).headers;
        clock.#saw(headers?.date);
        return result;
      },
      { step: "deserialize", name: "serverClock" },
    );
    return clock;
  }

  /** AWS's time minus this machine's, ms; undefined before an answer with a `Date`. */
  get skewMs(): number | undefined {
    return this.#skewMs;
  }

  /**
   * Throws ClockSkewError when the last answer's `Date` is more than MAX_CLOCK_SKEW_MS away
   * from this machine's clock. An answer without a `Date` leaves nothing to judge.
   */
  refuseSkew(): void {
    // The header is in whole seconds: up to a second of the difference is its rounding.
    if (this.#skewMs !== undefined && Math.abs(this.#skewMs) > MAX_CLOCK_SKEW_MS + 1_000) {
      throw new ClockSkewError(this.#skewMs, MAX_CLOCK_SKEW_MS);
    }
  }

  #saw(date: string | undefined): void {
    const serverMs = date === undefined ? Number.NaN : Date.parse(date);
    if (Number.isFinite(serverMs)) this.#skewMs = serverMs - this.#now();
  }
}
