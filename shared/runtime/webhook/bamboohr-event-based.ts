import { CredentialsNotConfiguredError } from "../errors/credentials-not-configured-error.ts";
import type { EmployeeEvent } from "./bamboohr-body.ts";
import { fromLedger, readFromApi } from "./bamboohr-deleted-employee.ts";
import {
  type DeliveryContext,
  IGNORED,
  mapped,
  type Outcome,
  signalOf,
} from "./bamboohr-delivery-context.ts";
import { bambooHrField, namesField } from "./bamboohr-fields.ts";
import type { EmployeeChange } from "./bamboohr-mapping.ts";
import { parseBambooHrInstant } from "./bamboohr-timestamp.ts";

type EventHandler = (
  event: EmployeeEvent,
  change: Omit<EmployeeChange, "employee" | "change">,
  context: DeliveryContext,
) => Promise<Outcome>;

/**
 * Event-based: one event, no values; the employee is read back from BambooHR's API. Creation
 * is followed by an `employee.updated`, which carries the status: nothing to do on its own.
 */
const EVENT_TYPES: Readonly<Record<string, EventHandler>> = {
  "employee.created": async () => IGNORED,
  "employee.updated": async (event, change, context) => {
    const statusField = bambooHrField(context.mapping.statusField);
    if (!namesField(event.data.changedFields, statusField)) return IGNORED;
    // Only BambooHR's API knows the values: until it is configured, BambooHR retries (503).
    if (!(await context.readingBack())) {
      throw new CredentialsNotConfiguredError(
        "BAMBOOHR_API_SECRET_ID",
        "it still holds the placeholder: an event-based delivery names no values",
      );
    }
    const { employeeId } = event.data;
    const subject = context.mapping.subjectField === "" ? employeeId : undefined;
    return signalOf(employeeId, change, subject, context);
  },
  "employee.deleted": async (event, change, context) => {
    if (context.deletedMeans === "ignore") return IGNORED;
    const values = await readFromApi(event.data.employeeId, context);
    if (values === "unreadable") return fromLedger(event.data.employeeId, change, context);
    return mapped({ ...change, employee: values, change: "deleted" }, context);
  },
};

export async function eventBased(event: EmployeeEvent, context: DeliveryContext): Promise<Outcome> {
  const atMs = parseBambooHrInstant(event.timestamp) ?? 0;
  const employeeId = event.data.employeeId;
  const change = {
    // BambooHR sends no delivery id; a retry of this delivery is this same event.
    eventId: `${employeeId}-${event.type}-${Math.floor(atMs / 1000)}`,
    time: new Date(atMs).toISOString(),
    path: ["data"],
  };
  const handle = Object.hasOwn(EVENT_TYPES, event.type) ? EVENT_TYPES[event.type] : undefined;
  if (handle === undefined) {
    context.logger.warn("BambooHR event of an unknown type ignored", {
      employeeId,
      type: event.type.slice(0, 100),
    });
    return IGNORED;
  }
  return handle(event, change, context);
}
