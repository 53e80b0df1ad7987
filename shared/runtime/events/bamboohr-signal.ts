import { BAMBOOHR_SIGNAL_TYPE } from "../../contract/event-types.ts";
import { isSafePlatformId, SUBJECT_PATTERN } from "./event-field-rules.ts";
import type { LifecycleEvent } from "./lifecycle-event.ts";
import { BAMBOOHR_SOURCE } from "./source-ownership.ts";
import * as z from "./zod-mini.ts";

/**
 * A BambooHR signal: "employee E changed", with no values. The webhook enqueues one per
 * employee whose status changed, of either delivery format, when BambooHR's API is configured;
 * the consumer reads the employee's current values back when it processes it
 * (shared/runtime/consumer/bamboohr-read-back.ts), so a retried older delivery can only restate what
 * HR says now. It travels the source queue like an event (group = `subject`, deduplication id
 * from `source` + `id`) and is a CloudEvent of its own type (`BAMBOOHR_SIGNAL_TYPE`), never a
 * lifecycle event. The consumer loads this module at the first record of that type.
 */

// Built at the first record rather than at import, as the lifecycle event schema is.
export const bambooHrSignalSchema = z.lazy(() =>
  z.strictObject({
    specversion: z.literal("1.0"),
    id: z.string().check(z.minLength(1), z.maxLength(96)),
    source: z.literal(BAMBOOHR_SOURCE),
    type: z.literal(BAMBOOHR_SIGNAL_TYPE),
    /**
     * When the webhook received the delivery (its own clock): the decided-at of what the read-back
     * finds. Never HR's or the sender's clock, and never later than the arrival.
     */
    time: z.iso.datetime({ offset: true }),
    /** The FIFO group: the person's subject when the delivery gave it, else the employee id. */
    subject: z.string().check(z.regex(SUBJECT_PATTERN)),
    data: z.strictObject({
      employeeId: z.string().check(z.minLength(1), z.maxLength(64), z.refine(isSafePlatformId)),
    }),
  }),
);

export type BambooHrSignal = z.infer<typeof bambooHrSignalSchema>;

/** What a producer puts on the source queue: a lifecycle event, or a BambooHR signal. */
export type QueuedMessage = LifecycleEvent | BambooHrSignal;

/** The signal a body holds; undefined for anything else (a lifecycle event, or garbage). */
export function readBambooHrSignal(body: string): BambooHrSignal | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = bambooHrSignalSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export function bambooHrSignal(fields: {
  id: string;
  employeeId: string;
  subject: string;
  receivedAtMs: number;
}): BambooHrSignal {
  return {
    specversion: "1.0",
    id: fields.id,
    source: BAMBOOHR_SOURCE,
    type: BAMBOOHR_SIGNAL_TYPE,
    time: new Date(fields.receivedAtMs).toISOString(),
    subject: fields.subject,
    data: { employeeId: fields.employeeId },
  };
}
