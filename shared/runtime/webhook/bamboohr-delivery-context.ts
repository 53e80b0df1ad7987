import type { BambooHrFieldMapping } from "../configuration/bamboohr-field-mapping.ts";
import type { BambooHrSignal } from "../events/bamboohr-signal.ts";
import type { LifecycleEvent } from "../events/lifecycle-event.ts";
import type { EventClock, ValidationProblem } from "../events/validation.ts";
import type { PersonRecord } from "../ledger/person-record.ts";
import type { Logger } from "../logging/logger.ts";
import type { BambooHrEmployeeReader } from "../platforms/bamboohr/bamboohr-client.ts";
import { type EmployeeChange, mapEmployeeChange } from "./bamboohr-mapping.ts";
import { signalFor } from "./bamboohr-signals.ts";

// What reading one BambooHR delivery needs, and what each of its employees comes to.

/** What the webhook does with a deleted employee (BAMBOOHR_DELETED_MEANS). */
export type DeletedMeans = "offboard" | "ignore";
export const DELETED_MEANS: readonly DeletedMeans[] = ["offboard", "ignore"];

/** The ledger as the webhook may see it: one person's item, read with GetItem. */
export interface PersonLookup {
  getPerson(subject: string): Promise<Pick<PersonRecord, "resolved"> | undefined>;
}

export interface BambooHrSettings {
  mapping: BambooHrFieldMapping;
  deletedMeans: DeletedMeans;
  employees: BambooHrEmployeeReader;
  /**
   * Whether BambooHR's API is configured (its secret filled in): then a status change, of
   * either format, is enqueued as a signal the consumer reads back. Throws when the secret
   * cannot be read (the delivery is answered 503).
   */
  readBack: () => Promise<boolean>;
  /** Undefined: no ledger to fall back on for a deleted employee the API cannot read. */
  people: PersonLookup | undefined;
}

/** An employee's event (or signal), or why it was ignored (no problems: nothing to do). */
export type Outcome =
  | { event: LifecycleEvent | BambooHrSignal; unordered?: true }
  | { ignored: readonly ValidationProblem[] };
export const IGNORED: Outcome = { ignored: [] };

export interface DeliveryContext extends BambooHrSettings {
  logger: Logger;
  /** Events too far ahead of now are refused (LIFECYCLE_MAX_FUTURE_SECONDS). */
  clock: EventClock | undefined;
  /** When the webhook received the delivery, epoch ms: a signal's `time`. */
  receivedAtMs: number;
  /** Whether the consumer reads employees back (`readBack`, asked once per delivery). */
  readingBack: () => Promise<boolean>;
}

export function signalOf(
  employeeId: string,
  change: Omit<EmployeeChange, "employee" | "change">,
  subject: string | undefined,
  context: DeliveryContext,
): Outcome {
  const signal = signalFor({ ...change, employeeId, subject, receivedAtMs: context.receivedAtMs });
  if (signal.ok) return { event: signal.signal };
  context.logger.warn("BambooHR employee cannot become a signal; the change is ignored", {
    employeeId: employeeId.slice(0, 64),
    problems: signal.problems,
  });
  return { ignored: signal.problems };
}

export function mapped(
  change: EmployeeChange,
  context: DeliveryContext,
): { event: LifecycleEvent } | { ignored: readonly ValidationProblem[] } {
  const result = mapEmployeeChange(change, context.mapping, context.clock);
  if (result.ok) return { event: result.event };
  context.logger.warn("BambooHR employee cannot become a lifecycle event; the change is ignored", {
    employeeId: change.employee.employeeId,
    problems: result.problems,
  });
  return { ignored: result.problems };
}

export function ownValue(values: Readonly<Record<string, unknown>>, name: string): unknown {
  return Object.hasOwn(values, name) ? values[name] : undefined;
}
