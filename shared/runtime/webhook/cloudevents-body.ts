import { MAX_EVENT_BYTES } from "../events/event-limits.ts";
import type { LifecycleEvent } from "../events/lifecycle-event.ts";
import { foreignClaimProblems } from "../events/source-ownership.ts";
import {
  type EventClock,
  type ValidationProblem,
  validateLifecycleEvent,
} from "../events/validation.ts";

/** At most this many events in one `application/cloudevents-batch+json` request. */
export const MAX_BATCH_EVENTS = 50;

export type ReadEvents =
  | { ok: true; events: LifecycleEvent[] }
  | { ok: false; problems: ValidationProblem[] };

/**
 * A CloudEvents body (one event, or a batch array) validated with the shared event schema and
 * the rules of a producer that owns no source (shared/runtime/events/source-ownership.ts). All or
 * nothing: every problem of every event is reported, and then no event is returned.
 */
export function readCloudEvents(body: unknown, batch: boolean, clock: EventClock): ReadEvents {
  if (!batch) return validateEvents([body], () => "$", clock);
  if (!Array.isArray(body)) {
    return { ok: false, problems: [{ path: "$", message: "must be a JSON array of events" }] };
  }
  if (body.length === 0 || body.length > MAX_BATCH_EVENTS) {
    const message = `must hold 1 to ${MAX_BATCH_EVENTS} events (it holds ${body.length})`;
    return { ok: false, problems: [{ path: "$", message }] };
  }
  return validateEvents(body, (index) => `$[${index}]`, clock);
}

function validateEvents(
  candidates: readonly unknown[],
  rootOf: (index: number) => string,
  clock: EventClock,
) {
  const events: LifecycleEvent[] = [];
  const problems: ValidationProblem[] = [];
  candidates.forEach((candidate, index) => {
    const root = rootOf(index);
    const result = validateLifecycleEvent(candidate, root, clock);
    if (!result.ok) {
      problems.push(...result.problems);
      return;
    }
    const claims = foreignClaimProblems(result.event, root, { ownSourcesOnly: true });
    if (claims.length > 0) {
      problems.push(...claims);
      return;
    }
    const bytes = Buffer.byteLength(JSON.stringify(result.event));
    if (bytes > MAX_EVENT_BYTES) {
      problems.push({ path: root, message: `is ${bytes} bytes; the limit is ${MAX_EVENT_BYTES}` });
      return;
    }
    events.push(result.event);
  });
  return problems.length > 0 ? { ok: false as const, problems } : { ok: true as const, events };
}
