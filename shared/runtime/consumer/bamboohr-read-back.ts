import { createHash } from "node:crypto";
import type { BambooHrFieldMapping } from "../configuration/bamboohr-field-mapping.ts";
import { EmployeeUnreadableError, UnmappableEmployeeError } from "../errors/bamboohr-errors.ts";
import { NotFoundError, RejectedError } from "../errors/platform-errors.ts";
import type { BambooHrSignal } from "../events/bamboohr-signal.ts";
import type { LifecycleEvent } from "../events/lifecycle-event.ts";
import { describeProblems, type EventClock } from "../events/validation.ts";
import type { BambooHrEmployeeReader } from "../platforms/bamboohr/bamboohr-client.ts";
import { fieldText } from "../webhook/bamboohr-body.ts";
import { type EmployeeChange, fieldsRead, mapEmployeeChange } from "../webhook/bamboohr-mapping.ts";

export interface ReadBackOptions {
  employees: BambooHrEmployeeReader;
  mapping: BambooHrFieldMapping;
  /** The consumer's clock and limits: the event is validated as any other. */
  clock: EventClock;
  signal?: AbortSignal | undefined;
}

/**
 * The event a BambooHR signal becomes: the employee's values as BambooHR's API answers now,
 * mapped by the webhook's own rules (bamboohr-mapping.ts). The rules:
 * 1. Decided-at is the signal's `time` (when the webhook received it), one value whatever the
 *    read finds: a retried older delivery reads what HR says now and can only restate it.
 * 2. The event id is the signal's id and a hash of what the read decided, so a redelivery that
 *    reads the same is a duplicate, and one that reads a change made meanwhile is a new event
 *    (never a retry of a half-applied other state).
 * 3. An employee the API cannot read (404, 403) is never guessed: `EmployeeUnreadableError`,
 *    retried like any transient failure. Values that make no valid event:
 *    `UnmappableEmployeeError` (permanent).
 * Other failures (429 with `Retry-After`, 5xx, timeouts, an open breaker, the key not filled in)
 * are thrown as they are.
 */
export async function readBackEmployee(
  signal: BambooHrSignal,
  options: ReadBackOptions,
): Promise<LifecycleEvent> {
  const { employeeId } = signal.data;
  const aliases = fieldsRead(options.mapping).map((field) => field.alias);
  let record: Readonly<Record<string, unknown>>;
  try {
    record = await options.employees.readEmployee(employeeId, aliases, options.signal);
  } catch (error) {
    const unreadable =
      error instanceof NotFoundError || (error instanceof RejectedError && error.status === 403);
    if (unreadable) throw new EmployeeUnreadableError(employeeId, error.status, error);
    throw error;
  }
  const employee = {
    employeeId,
    read: (field: { alias: string }) =>
      fieldText(Object.hasOwn(record, field.alias) ? record[field.alias] : undefined),
  };
  const change: EmployeeChange = {
    employee,
    change: "status",
    eventId: signal.id,
    time: signal.time,
    path: [],
  };
  const mapped = mapEmployeeChange(change, options.mapping, options.clock);
  if (!mapped.ok) throw new UnmappableEmployeeError(employeeId, describeProblems(mapped.problems));
  const { id: _signalId, ...decided } = mapped.event;
  const outcome = createHash("sha256")
    .update(JSON.stringify([decided.type, decided.subject, decided.data]))
    .digest("hex")
    .slice(0, 16);
  return { ...mapped.event, id: `${signal.id}-${outcome}` };
}
