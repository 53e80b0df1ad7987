import { randomUUID } from "node:crypto";
import type { LifecycleEvent } from "../../shared/runtime/events/lifecycle-event.ts";

let clock = Date.parse("2026-11-23T09:00:00Z");

/** A valid lifecycle event; each call is one second later than the previous one. */
export function lifecycleEvent(
  overrides: Partial<LifecycleEvent> & Pick<LifecycleEvent, "subject" | "data">,
): LifecycleEvent {
  clock += 1_000;
  return {
    specversion: "1.0",
    id: randomUUID(),
    source: "urn:test:hr",
    type: "user.offboarded",
    time: new Date(clock).toISOString(),
    ...overrides,
  };
}

export const offboard = (
  subject: string,
  data: LifecycleEvent["data"],
  overrides: Partial<LifecycleEvent> = {},
) => lifecycleEvent({ subject, data, type: "user.offboarded", ...overrides });

export const onboard = (
  subject: string,
  data: LifecycleEvent["data"],
  overrides: Partial<LifecycleEvent> = {},
) => lifecycleEvent({ subject, data, type: "user.onboarded", ...overrides });
