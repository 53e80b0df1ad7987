import { createHash } from "node:crypto";
import {
  type BambooHrSignal,
  bambooHrSignal,
  bambooHrSignalSchema,
} from "../events/bamboohr-signal.ts";
import type { LifecycleEvent } from "../events/lifecycle-event.ts";
import { describeProblems, toJsonPath, type ValidationProblem } from "../events/validation.ts";

/**
 * What a BambooHR status change becomes on the queue: a signal the consumer reads back (with
 * BambooHR's API configured), or, without the API, an event from the delivered values that
 * cannot be ordered (docs/webhook.md, "Ordering").
 */

/** Three hours: BambooHR's retries of one delivery (5 to 155 minutes on) mostly share one. */
export const UNORDERED_WINDOW_MS = 3 * 3600 * 1000;

/**
 * An event taken from field values with no timestamp of their own: its id is derived from its
 * content (employee id and mapped fields) and the three-hour window its signature falls in, so
 * a retry of one delivery is one event (whether or not BambooHR signs it anew), while a later,
 * identical change (terminated, rescinded, terminated again) is a new one.
 */
export function unorderedEvent(
  event: LifecycleEvent,
  employeeId: string,
  signedAtMs: number,
): LifecycleEvent {
  const window = Math.floor(signedAtMs / UNORDERED_WINDOW_MS);
  const content = createHash("sha256")
    .update(JSON.stringify([employeeId, event.subject, event.type, event.data, window]))
    .digest("hex")
    .slice(0, 32);
  return { ...event, id: `${employeeId.slice(0, 64)}-w${window}-${content}` };
}

/**
 * A signal that employee `employeeId` changed, received at `receivedAtMs`. Its subject (the
 * FIFO group) is the person's when the delivery gave it, else the employee id.
 */
export function signalFor(fields: {
  employeeId: string;
  eventId: string;
  subject: string | undefined;
  receivedAtMs: number;
  path: readonly (string | number)[];
}): { ok: true; signal: BambooHrSignal } | { ok: false; problems: ValidationProblem[] } {
  const parsed = bambooHrSignalSchema.safeParse(
    bambooHrSignal({
      id: fields.eventId,
      employeeId: fields.employeeId,
      subject: fields.subject ?? fields.employeeId,
      receivedAtMs: fields.receivedAtMs,
    }),
  );
  if (parsed.success) return { ok: true, signal: parsed.data };
  const found = parsed.error.issues.map((issue) => ({
    path: toJsonPath(issue.path),
    message: issue.message,
  }));
  const message = `cannot become a signal: ${describeProblems(found)}`;
  return { ok: false, problems: [{ path: toJsonPath(fields.path), message }] };
}
