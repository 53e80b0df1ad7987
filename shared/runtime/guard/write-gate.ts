import type { LifecycleEvent } from "../events/lifecycle-event.ts";

/**
 * A check between reading the targets and the first platform write of an event: it runs only
 * when something is about to change (a target already in the wanted state never reaches it).
 * To stop the event it throws a typed error, which the failure classification maps to a DLQ
 * reason. A dry run never writes: its plan asks `preview`. The mass-offboarding guard plugs in.
 */
export interface PlatformWriteGate {
  beforeFirstWrite(event: LifecycleEvent, context: WriteGateContext): Promise<void>;
  /**
   * The same decision, read-only, for a plan (dry run, `lifecycle plan`): throws what
   * `beforeFirstWrite` would throw now, and changes nothing. Absent: every plan passes.
   */
  preview?(event: LifecycleEvent, signal: AbortSignal): Promise<void>;
}

export interface WriteGateContext {
  subject: string;
  /** The real attempt at the event (1 on first delivery). */
  attempt: number;
  signal: AbortSignal;
}

/** Lets every write through. */
export const OPEN_WRITE_GATE: PlatformWriteGate = { beforeFirstWrite: async () => {} };

/** Calls `open` at most once, however many targets write. */
export function onceOnly(open: () => Promise<void>): () => Promise<void> {
  let opened: Promise<void> | undefined;
  return () => {
    opened ??= open();
    return opened;
  };
}
