import type { LifecycleEvent, LifecycleEventType } from "../events/lifecycle-event.ts";
import { BAMBOOHR_SOURCE } from "../events/source-ownership.ts";
import {
  problemsFromZod,
  toJsonPath,
  type ValidationProblem,
  validateLifecycleEvent,
} from "../events/validation.ts";
import { type BambooHrEmployee, bambooHrBodySchema, fieldText } from "./bamboohr-body.ts";

/**
 * Turns a BambooHR webhook body into lifecycle events. Which BambooHR fields feed which parts of
 * the event is configuration (docs/webhook.md). An employee whose status did not change is
 * ignored and counted; every mapped event is validated with the shared event schema, and one
 * that fails refuses the whole request (all or nothing, like a batch).
 */
export interface BambooHrFieldMapping {
  /** The field holding the employment status ("Active" / "Inactive"). */
  statusField: string;
  /** Field giving the subject; empty: the employee id. */
  subjectField: string;
  /** Field giving the account platform `externalId`; empty: not sent. */
  externalIdField: string;
  /** Field giving the account platform `login` (preferred over `externalId`); empty: not sent. */
  loginField: string;
  /** Field giving the OSIS `cdUserId`; empty: not sent. */
  osisCdUserField: string;
}

export const DEFAULT_BAMBOOHR_MAPPING: Readonly<BambooHrFieldMapping> = {
  statusField: "Status",
  subjectField: "",
  externalIdField: "Employee #",
  loginField: "",
  osisCdUserField: "",
};

/** Status values, compared case-insensitively, and the event each one becomes. */
const EVENT_TYPE_BY_STATUS: ReadonlyMap<string, LifecycleEventType> = new Map([
  ["inactive", "user.offboarded"],
  ["active", "user.onboarded"],
]);

export type BambooHrMappingResult =
  | { ok: true; events: LifecycleEvent[]; ignored: number }
  | { ok: false; problems: ValidationProblem[] };

/** `timestamp` is the verified `X-BambooHR-Timestamp` (Unix seconds). */
export function mapBambooHrBody(
  body: unknown,
  timestamp: string,
  mapping: BambooHrFieldMapping,
): BambooHrMappingResult {
  const parsed = bambooHrBodySchema.safeParse(body);
  if (!parsed.success) return { ok: false, problems: problemsFromZod(parsed.error) };
  const webhook = { timestamp, time: new Date(Number(timestamp) * 1000).toISOString() };
  const events: LifecycleEvent[] = [];
  const problems: ValidationProblem[] = [];
  let ignored = 0;
  parsed.data.employees.forEach((employee, index) => {
    const mapped = mapEmployee(employee, index, webhook, mapping);
    if (mapped === "ignored") ignored += 1;
    else if (mapped.ok) events.push(mapped.event);
    else problems.push(...mapped.problems);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, events, ignored };
}

type MappedEmployee =
  | "ignored"
  | { ok: true; event: LifecycleEvent }
  | { ok: false; problems: ValidationProblem[] };

function mapEmployee(
  employee: BambooHrEmployee,
  index: number,
  webhook: { timestamp: string; time: string },
  mapping: BambooHrFieldMapping,
): MappedEmployee {
  const at = (...path: (string | number)[]) => toJsonPath(["employees", index, ...path]);
  const refuse = (path: string, message: string) => ({
    ok: false as const,
    problems: [{ path, message }],
  });

  if (!employee.changedFields.includes(mapping.statusField)) return "ignored";
  const status = fieldText(employee, mapping.statusField);
  const type = status === undefined ? undefined : EVENT_TYPE_BY_STATUS.get(status.toLowerCase());
  if (status === undefined) {
    return refuse(
      at("fields", mapping.statusField),
      "is missing, though changedFields names it: the webhook must post the field it monitors",
    );
  }
  if (type === undefined) {
    return refuse(
      at("fields", mapping.statusField),
      `must be "Active" or "Inactive" (is "${status}")`,
    );
  }

  const subject =
    mapping.subjectField === "" ? employee.id : fieldText(employee, mapping.subjectField);
  if (subject === undefined) {
    return refuse(
      at("fields", mapping.subjectField),
      "is missing: the event's subject comes from it",
    );
  }

  const data = targets(employee, mapping);
  if (Object.keys(data).length === 0) {
    const named = [mapping.loginField, mapping.externalIdField, mapping.osisCdUserField]
      .filter((field) => field !== "")
      .map((field) => JSON.stringify(field))
      .join(", ");
    return refuse(at("fields"), `has no value in any target field (${named})`);
  }

  const result = validateLifecycleEvent({
    specversion: "1.0",
    id: `${employee.id}-${webhook.timestamp}`,
    source: BAMBOOHR_SOURCE,
    type,
    time: webhook.time,
    subject,
    data: { ...data, reason: `BambooHR ${mapping.statusField} changed to ${status}` },
  });
  if (result.ok) return result;
  return {
    ok: false,
    problems: result.problems.map((problem) => ({
      path: at(),
      message: `maps to an invalid event: ${problem.path} ${problem.message}`,
    })),
  };
}

/** A target whose field has no value is left out; login is preferred over the external id. */
function targets(employee: BambooHrEmployee, mapping: BambooHrFieldMapping) {
  const read = (field: string) => (field === "" ? undefined : fieldText(employee, field));
  const login = read(mapping.loginField);
  const externalId = read(mapping.externalIdField);
  const cdUserId = read(mapping.osisCdUserField);
  const accountPlatform =
    login !== undefined ? { login } : externalId !== undefined ? { externalId } : undefined;
  return {
    ...(accountPlatform !== undefined ? { accountPlatform } : {}),
    ...(cdUserId !== undefined ? { osis: { cdUserId } } : {}),
  };
}
