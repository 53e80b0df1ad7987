import { NotFoundError, RejectedError } from "../errors/platform-errors.ts";
import { BAMBOOHR_SOURCE } from "../events/source-ownership.ts";
import { validateLifecycleEvent } from "../events/validation.ts";
import { fieldText } from "./bamboohr-body.ts";
import {
  type DeliveryContext,
  IGNORED,
  type Outcome,
  ownValue,
} from "./bamboohr-delivery-context.ts";
import { type EmployeeChange, type EmployeeValues, fieldsRead } from "./bamboohr-mapping.ts";

/**
 * A deleted employee's values from the API, while it can still read them; 404 and 403 mean it
 * cannot (the ledger is asked instead).
 */
export async function readFromApi(
  employeeId: string,
  context: DeliveryContext,
): Promise<EmployeeValues | "unreadable"> {
  try {
    const fields = fieldsRead(context.mapping).map((field) => field.alias);
    const record = await context.employees.readEmployee(employeeId, fields);
    return { employeeId, read: (field) => fieldText(ownValue(record, field.alias)) };
  } catch (error) {
    const unreadable =
      error instanceof NotFoundError || (error instanceof RejectedError && error.status === 403);
    if (!unreadable) throw error;
    return "unreadable";
  }
}

/**
 * A deleted employee the API can no longer read: offboarded by the platform ids the ledger
 * last resolved for the person. The ledger is keyed by subject, so this needs the subject to
 * be the employee id (BAMBOOHR_SUBJECT_FIELD empty).
 */
export async function fromLedger(
  employeeId: string,
  change: Omit<EmployeeChange, "employee" | "change">,
  context: DeliveryContext,
): Promise<Outcome> {
  const ignore = (why: string): Outcome => {
    context.logger.warn(`BambooHR employee deleted, but ${why}; offboard the person by hand`, {
      employeeId,
    });
    return IGNORED;
  };
  if (context.mapping.subjectField !== "") {
    return ignore("its subject comes from a field that can no longer be read");
  }
  if (context.people === undefined) return ignore("the webhook has no ledger to look it up in");
  const resolved = (await context.people.getPerson(employeeId))?.resolved;
  const userId = resolved?.accountPlatform?.userId;
  const osis = resolved?.osis;
  if (userId === undefined && osis === undefined) {
    return ignore("the ledger holds no platform ids for the person");
  }
  const result = validateLifecycleEvent(
    {
      specversion: "1.0",
      id: change.eventId,
      source: BAMBOOHR_SOURCE,
      type: "user.offboarded",
      time: change.time,
      subject: employeeId,
      data: {
        ...(userId !== undefined ? { accountPlatform: { userId } } : {}),
        ...(osis !== undefined ? { osis: { tenantId: osis.tenantId, userId: osis.userId } } : {}),
        reason: "BambooHR employee deleted (platform ids from the ledger)",
      },
    },
    "$",
    context.clock,
  );
  return result.ok ? { event: result.event } : ignore("its ledger ids do not make a valid event");
}
