import type { CallStatus } from "./call-record.ts";
import type { FetchFunction } from "./exchange.ts";

/** The exchanges a call made so far, and the last one's status (for its metrics). */
export interface AttemptCount {
  count: number;
  status: CallStatus;
}

/** Counts each exchange sent, and keeps the last one's HTTP status ("network" without one). */
export function countAttempts(send: FetchFunction, attempts: AttemptCount): FetchFunction {
  return async (input, init) => {
    attempts.count += 1;
    attempts.status = "network";
    const response = await send(input, init);
    attempts.status = response.status;
    return response;
  };
}
