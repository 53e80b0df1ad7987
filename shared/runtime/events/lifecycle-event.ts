import type { lifecycleEventSchema } from "./lifecycle-event-schema.ts";
import type * as z from "./zod-mini.ts";

/**
 * A lifecycle event as the code handles it once validated, and what it asks. The types are
 * inferred from the schema (lifecycle-event-schema.ts), never written by hand; their imports
 * are types only, so a module that needs an event but not its validation loads no zod.
 */

export type LifecycleEvent = z.infer<typeof lifecycleEventSchema>;
export type LifecycleEventData = LifecycleEvent["data"];
export type AccountPlatformTarget = NonNullable<LifecycleEventData["accountPlatform"]>;
export type OsisTarget = NonNullable<LifecycleEventData["osis"]>;

/** What the event asks of every target: enabled/active for an onboard, disabled for an offboard. */
export function wantsEnabled(event: Pick<LifecycleEvent, "type">): boolean {
  return event.type === "user.onboarded";
}

/** When the change takes effect, epoch ms; undefined when it takes effect on arrival. */
export function effectiveAtMs(event: Pick<LifecycleEvent, "data">): number | undefined {
  const { effectiveAt } = event.data;
  return effectiveAt === undefined ? undefined : Date.parse(effectiveAt);
}

/** The event time as epoch milliseconds: the ordering key (never compare the strings). */
export function eventTimeMs(event: Pick<LifecycleEvent, "time">): number {
  return Date.parse(event.time);
}
