import type { LifecycleEventType } from "../../contract/event-types.ts";
import type { BambooHrFieldMapping } from "../configuration/bamboohr-field-mapping.ts";
import type { LifecycleEvent } from "../events/lifecycle-event.ts";
import { BAMBOOHR_SOURCE } from "../events/source-ownership.ts";
import {
  type EventClock,
  toJsonPath,
  type ValidationProblem,
  validateLifecycleEvent,
} from "../events/validation.ts";
import { type BambooHrField, bambooHrField, TERMINATION_DATE } from "./bamboohr-fields.ts";
import { endOfDayMs } from "./end-of-day.ts";

/*
 * The rules that turn one BambooHR employee into a lifecycle event, whichever format the
 * employee came in (field-based values, or the API's answer to an event-based delivery). Which
 * fields feed which parts of the event is configuration (bamboohr-field-mapping.ts).
 */

/** Status values, compared case-insensitively, and the event each one becomes. */
const EVENT_TYPE_BY_STATUS: ReadonlyMap<string, LifecycleEventType> = new Map([
  ["inactive", "user.offboarded"],
  ["active", "user.onboarded"],
]);

/** One employee's values, from a field-based body or from BambooHR's API. */
export interface EmployeeValues {
  employeeId: string;
  /** A field's value as text; undefined when missing or blank. */
  read(field: BambooHrField): string | undefined;
}

/** What happened to the employee: its status field changed, or it was deleted (an offboard). */
export interface EmployeeChange {
  employee: EmployeeValues;
  change: "status" | "deleted";
  eventId: string;
  /** RFC 3339. */
  time: string;
  /** Where the employee is in the delivery (problems are reported there). */
  path: readonly (string | number)[];
}

export type MappedEmployee =
  | { ok: true; event: LifecycleEvent }
  | { ok: false; problems: ValidationProblem[] };

/**
 * The fields the rules read: what the API is asked for. The termination date is read with
 * them: on an offboard, a future one becomes `data.effectiveAt`.
 */
export function fieldsRead(mapping: BambooHrFieldMapping): BambooHrField[] {
  const configured = [
    mapping.statusField,
    mapping.subjectField,
    mapping.loginField,
    mapping.externalIdField,
    mapping.osisCdUserField,
  ].filter((setting) => setting !== "");
  return [...configured.map(bambooHrField), TERMINATION_DATE];
}

export function mapEmployeeChange(
  change: EmployeeChange,
  mapping: BambooHrFieldMapping,
  clock?: EventClock,
): MappedEmployee {
  const { employee } = change;
  const read = (setting: string) =>
    setting === "" ? undefined : employee.read(bambooHrField(setting));
  const at = (...path: (string | number)[]) => toJsonPath([...change.path, ...path]);
  const refuse = (path: string, message: string) => ({
    ok: false as const,
    problems: [{ path, message }],
  });

  let type: LifecycleEventType = "user.offboarded";
  let reason = "BambooHR employee deleted";
  if (change.change === "status") {
    const status = read(mapping.statusField);
    if (status === undefined) {
      return refuse(
        at("fields", mapping.statusField),
        "is missing, though changedFields names it: the webhook must post the field it monitors, and the API key must read it",
      );
    }
    const fromStatus = EVENT_TYPE_BY_STATUS.get(status.toLowerCase());
    if (fromStatus === undefined) {
      return refuse(
        at("fields", mapping.statusField),
        `must be "Active" or "Inactive" (is "${status}")`,
      );
    }
    type = fromStatus;
    reason = `BambooHR ${mapping.statusField} changed to ${status}`;
  }

  const subject = mapping.subjectField === "" ? employee.employeeId : read(mapping.subjectField);
  if (subject === undefined) {
    return refuse(
      at("fields", mapping.subjectField),
      "is missing: the event's subject comes from it",
    );
  }

  const login = read(mapping.loginField);
  const externalId = read(mapping.externalIdField);
  const cdUserId = read(mapping.osisCdUserField);
  // A target whose field has no value is left out; login is preferred over the external id.
  const accountPlatform =
    login !== undefined ? { login } : externalId !== undefined ? { externalId } : undefined;
  if (accountPlatform === undefined && cdUserId === undefined) {
    const named = [mapping.loginField, mapping.externalIdField, mapping.osisCdUserField]
      .filter((field) => field !== "")
      .map((field) => JSON.stringify(field))
      .join(", ");
    return refuse(at("fields"), `has no value in any target field (${named})`);
  }

  const effectiveAt = type === "user.offboarded" ? lastDayEnd(employee, mapping, clock) : undefined;
  const result = validateLifecycleEvent(
    {
      specversion: "1.0",
      id: change.eventId,
      source: BAMBOOHR_SOURCE,
      type,
      time: change.time,
      subject,
      data: {
        ...(accountPlatform !== undefined ? { accountPlatform } : {}),
        ...(cdUserId !== undefined ? { osis: { cdUserId } } : {}),
        ...(effectiveAt !== undefined ? { effectiveAt } : {}),
        reason,
      },
    },
    "$",
    clock,
  );
  if (result.ok) return result;
  return {
    ok: false,
    problems: result.problems.map((problem) => ({
      path: at(),
      message: `maps to an invalid event: ${problem.path} ${problem.message}`,
    })),
  };
}

/**
 * A termination date still ahead schedules the offboard for the end of that day in the
 * company's zone; one already past (or unreadable) leaves the offboard to apply at once.
 */
function lastDayEnd(
  employee: EmployeeValues,
  mapping: BambooHrFieldMapping,
  clock: EventClock | undefined,
): string | undefined {
  const day = employee.read(TERMINATION_DATE);
  const end = day === undefined ? undefined : endOfDayMs(day, mapping.timeZone);
  if (end === undefined || end <= (clock?.now ?? Date.now())) return undefined;
  return new Date(end).toISOString();
}
