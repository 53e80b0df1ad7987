import type { PlatformName } from "../errors/platform-errors.ts";
import type { CallStatus, OnPlatformCall } from "./call-record.ts";

/** How a failed call ended: aborted by the caller, the platform's status, a timeout, or network. */
export function failedCallStatus(
  mapped: unknown,
  error: unknown,
  signal: AbortSignal | undefined,
): CallStatus {
  if (signal?.aborted) return "aborted";
  if (hasStatus(mapped)) return mapped.status;
  return isTimeout(error) ? "timeout" : "network";
}

/** One call (all its attempts) to the metrics hook, timed from `started` (performance.now()). */
export function reportCall(
  onCall: OnPlatformCall | undefined,
  call: { platform: PlatformName; operation: string },
  status: CallStatus,
  started: number,
  attempts: number,
): void {
  // A call a gate refused never reached the platform: no latency to report.
  if (!onCall || attempts === 0) return;
  try {
    onCall({
      ...call,
      status,
      durationMs: Math.round(performance.now() - started),
      attempts,
    });
  } catch {
    // A metrics hook must never change the outcome of a platform call.
  }
}

function hasStatus(error: unknown): error is { status: number } {
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as { status?: unknown }).status === "number"
  );
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === "TimeoutError";
}
