import type { PlatformName } from "../errors/platform-errors.ts";

/** How one platform call ended: the last HTTP status, or why there was none. */
export type CallStatus = number | "timeout" | "network" | "aborted";

/** One client operation (all its attempts), for latency and error-rate metrics. */
export interface PlatformCallRecord {
  platform: PlatformName;
  operation: string;
  status: CallStatus;
  /** From the first attempt to the final answer, retries and their waits included. */
  durationMs: number;
  /** HTTP exchanges made: 1 plus the retries of a read. */
  attempts: number;
}

export type OnPlatformCall = (record: PlatformCallRecord) => void;
