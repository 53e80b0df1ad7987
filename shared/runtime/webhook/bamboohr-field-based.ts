import { type FieldBasedEmployee, fieldText } from "./bamboohr-body.ts";
import { fromLedger } from "./bamboohr-deleted-employee.ts";
import {
  type DeliveryContext,
  IGNORED,
  mapped,
  type Outcome,
  ownValue,
  signalOf,
} from "./bamboohr-delivery-context.ts";
import { bambooHrField, namesField } from "./bamboohr-fields.ts";
import type { EmployeeValues } from "./bamboohr-mapping.ts";
import { unorderedEvent } from "./bamboohr-signals.ts";
import { parseBambooHrInstant } from "./bamboohr-timestamp.ts";

/**
 * Field-based. With BambooHR's API configured, the employee's status change is a signal: the
 * consumer reads the values back (so a retried older delivery can only restate what HR says
 * now). Without it, the values in the body are taken as they are, dated by the employee's own
 * timestamp, else by the signature's: such an event cannot be ordered against others (see
 * `unorderedEventId`).
 */
export async function fieldBased(
  employee: FieldBasedEmployee,
  index: number,
  signedAtMs: number,
  context: DeliveryContext,
): Promise<Outcome> {
  const ownAtMs = parseBambooHrInstant(employee.timestamp ?? "");
  const atMs = ownAtMs ?? signedAtMs;
  const change = {
    eventId: `${employee.id}-${Math.floor(atMs / 1000)}`,
    time: new Date(atMs).toISOString(),
    path: ["employees", index],
  };
  if (employee.action?.toLowerCase() === "deleted") {
    return context.deletedMeans === "ignore" ? IGNORED : fromLedger(employee.id, change, context);
  }
  if (!namesField(employee.changedFields, bambooHrField(context.mapping.statusField))) {
    return IGNORED;
  }
  const values: EmployeeValues = {
    employeeId: employee.id,
    read: (field) =>
      fieldText(
        ownValue(employee.fields, field.displayName) ?? ownValue(employee.fields, field.alias),
      ),
  };
  if (await context.readingBack()) {
    const subject =
      context.mapping.subjectField === ""
        ? employee.id
        : values.read(bambooHrField(context.mapping.subjectField));
    return signalOf(employee.id, change, subject, context);
  }
  const outcome = mapped({ ...change, employee: values, change: "status" }, context);
  if (ownAtMs !== undefined || !("event" in outcome)) return outcome;
  return { event: unorderedEvent(outcome.event, employee.id, signedAtMs), unordered: true };
}
