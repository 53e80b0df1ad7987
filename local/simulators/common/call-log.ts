/**
 * Every platform call a simulator answered, in the order the answers went out, with the
 * number of calls being handled at once (tests assert concurrency through `peakInFlight`).
 * Times are wall-clock milliseconds (`Date.now()`), whatever clock the simulator was given,
 * so tests can compare them with their own `Date.now()`.
 */

export interface CallRecord {
  operation: string;
  method: string;
  path: string;
  /** The status answered, or "reset" when the socket was destroyed without an answer. */
  status: number | "reset";
  startedAt: number;
  endedAt: number;
}

export interface PendingCall {
  end(status: number | "reset"): void;
}

export class CallLog {
  #records: CallRecord[] = [];
  #inFlight = 0;
  #peakInFlight = 0;
  /** Bumped by clear(): a call that began before a clear is not logged after it. */
  #generation = 0;

  /** Called by the simulator when a platform call arrives. */
  begin(operation: string, method: string, path: string): PendingCall {
    const startedAt = Date.now();
    const generation = this.#generation;
    this.#inFlight += 1;
    this.#peakInFlight = Math.max(this.#peakInFlight, this.#inFlight);
    let ended = false;
    return {
      end: (status) => {
        if (ended) return;
        ended = true;
        this.#inFlight -= 1;
        if (generation !== this.#generation) return;
        this.#records.push({ operation, method, path, status, startedAt, endedAt: Date.now() });
      },
    };
  }

  all(): CallRecord[] {
    return this.#records.map((record) => ({ ...record }));
  }

  count(operation?: string): number {
    if (operation === undefined) return this.#records.length;
    return this.#records.filter((record) => record.operation === operation).length;
  }

  /** Forgets the records and restarts the peak from the calls in flight now. */
  clear(): void {
    this.#records = [];
    this.#generation += 1;
    this.resetPeak();
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get peakInFlight(): number {
    return this.#peakInFlight;
  }

  resetPeak(): void {
    this.#peakInFlight = this.#inFlight;
  }
}
