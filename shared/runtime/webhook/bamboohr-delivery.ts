import type { BambooHrSignal } from "../events/bamboohr-signal.ts";
import type { LifecycleEvent } from "../events/lifecycle-event.ts";
import type { EventClock, ValidationProblem } from "../events/validation.ts";
import type { Logger } from "../logging/logger.ts";
import { readBambooHrBody } from "./bamboohr-body.ts";
import type { BambooHrSettings, Outcome } from "./bamboohr-delivery-context.ts";
import { eventBased } from "./bamboohr-event-based.ts";
import { fieldBased } from "./bamboohr-field-based.ts";
import { mapConcurrently } from "./concurrently.ts";

/**
 * One BambooHR delivery, authenticated and decoded, as the events (and, with BambooHR's API
 * configured, the signals the consumer reads back) to enqueue. The rule that shapes every
 * answer: BambooHR retries a 5xx and never a 4xx, so
 * - a malformed body is 400, and more than MAX_BAMBOOHR_EMPLOYEES employees 413 (nothing a
 *   retry could fix);
 * - an employee that cannot become a valid event (or signal) is ignored, counted, and logged
 *   with its id: the rest of the delivery still goes through;
 * - BambooHR's API, its secret or the ledger failing (for a deleted employee), or an
 *   event-based status change before the API secret is filled in, is thrown, and the webhook
 *   answers 503 so that BambooHR sends the delivery again.
 */
export const MAX_BAMBOOHR_EMPLOYEES = 1_000;
/** Ledger reads in flight at once for the deleted employees of one field-based delivery. */
const LOOKUPS_IN_FLIGHT = 10;

export type BambooHrDeliveryResult =
  | {
      ok: true;
      events: (LifecycleEvent | BambooHrSignal)[];
      ignored: number;
      problems: ValidationProblem[];
      /** Events taken from field values without their own timestamp: they cannot be ordered. */
      unordered: string[];
    }
  | { ok: false; status: 400 | 413; problems: ValidationProblem[] };

/** `signedAtMs`: the verified `X-BambooHR-Timestamp`. */
export async function readBambooHrDelivery(
  body: unknown,
  signedAtMs: number,
  settings: BambooHrSettings,
  logger: Logger,
  clock?: EventClock,
): Promise<BambooHrDeliveryResult> {
  const read = readBambooHrBody(body);
  if (!read.ok) return { ok: false, status: 400, problems: read.problems };
  let asked: Promise<boolean> | undefined;
  const readingBack = () => {
    asked ??= settings.readBack();
    return asked;
  };
  const receivedAtMs = clock?.now ?? Date.now();
  const context = { ...settings, logger, clock, receivedAtMs, readingBack };
  const { delivery } = read;
  if (delivery.format === "event-based") {
    return collect([await eventBased(delivery.event, context)]);
  }
  if (delivery.employees.length > MAX_BAMBOOHR_EMPLOYEES) {
    const message = `holds ${delivery.employees.length} employees; at most ${MAX_BAMBOOHR_EMPLOYEES} are accepted per delivery`;
    return { ok: false, status: 413, problems: [{ path: "$.employees", message }] };
  }
  const outcomes = await mapConcurrently(delivery.employees, LOOKUPS_IN_FLIGHT, (employee, index) =>
    fieldBased(employee, index, signedAtMs, context),
  );
  return collect(outcomes);
}

function collect(outcomes: readonly Outcome[]): BambooHrDeliveryResult {
  const events: (LifecycleEvent | BambooHrSignal)[] = [];
  const problems: ValidationProblem[] = [];
  const unordered: string[] = [];
  let ignored = 0;
  for (const outcome of outcomes) {
    if ("event" in outcome) {
      events.push(outcome.event);
      if (outcome.unordered) unordered.push(outcome.event.id);
    } else {
      ignored += 1;
      problems.push(...outcome.ignored);
    }
  }
  return { ok: true, events, ignored, problems, unordered };
}
