import type { ValidationProblem } from "../events/validation.ts";

/**
 * Turns a BambooHR webhook body into lifecycle events. Which BambooHR fields feed which parts of
 * the event is configuration (docs/webhook.md); an employee whose status did not change is ignored.
 */
export interface BambooHrFieldMapping {
  /** The field holding the employment status ("Active" / "Inactive"). */
  statusField: string;
  /** Field giving the subject; empty: the employee id. */
  subjectField: string;
  /** Field giving the account platform `externalId`; empty: not sent. */
  externalIdField: string;
  /** Field giving the account platform `login`; empty: not sent. */
  loginField: string;
  /** Field giving the OSIS `cdUserId`; empty: not sent. */
  osisCdUserField: string;
}

export const DEFAULT_BAMBOOHR_MAPPING: BambooHrFieldMapping = {
  statusField: "Status",
  subjectField: "",
  externalIdField: "Employee #",
  loginField: "",
  osisCdUserField: "",
};

export const BAMBOOHR_SOURCE = "bamboohr";

export type BambooHrMappingResult =
  | { ok: true; events: unknown[]; ignored: number }
  | { ok: false; problems: ValidationProblem[] };

interface Employee {
  id: string;
  changedFields: string[];
  fields: Record<string, unknown>;
}

export function mapBambooHrBody(
  body: unknown,
  timestamp: string,
  mapping: BambooHrFieldMapping,
): BambooHrMappingResult {
  const employees = readEmployees(body);
  if (!Array.isArray(employees)) return { ok: false, problems: employees.problems };
  const time = new Date(Number(timestamp) * 1000).toISOString();
  const events: unknown[] = [];
  let ignored = 0;
  for (const employee of employees) {
    const type = statusChange(employee, mapping.statusField);
    if (type === undefined) {
      ignored += 1;
      continue;
    }
    events.push({
      specversion: "1.0",
      id: `${employee.id}-${timestamp}`,
      source: BAMBOOHR_SOURCE,
      type,
      time,
      subject: fieldText(employee, mapping.subjectField) ?? employee.id,
      data: targets(employee, mapping),
    });
  }
  return { ok: true, events, ignored };
}

function readEmployees(body: unknown): Employee[] | { problems: ValidationProblem[] } {
  const list = (body as { employees?: unknown } | null)?.employees;
  if (typeof body !== "object" || body === null || !Array.isArray(list)) {
    return { problems: [{ path: "$.employees", message: "must be an array of employees" }] };
  }
  const problems: ValidationProblem[] = [];
  const employees: Employee[] = [];
  list.forEach((entry: unknown, index) => {
    const candidate = entry as Partial<Record<keyof Employee, unknown>> | null;
    const id = candidate?.id;
    if (typeof id !== "string" && typeof id !== "number") {
      problems.push({ path: `$.employees[${index}].id`, message: "must be the employee id" });
      return;
    }
    const changed = Array.isArray(candidate?.changedFields)
      ? candidate.changedFields.filter((f): f is string => typeof f === "string")
      : [];
    const fields =
      typeof candidate?.fields === "object" && candidate.fields !== null
        ? (candidate.fields as Record<string, unknown>)
        : {};
    employees.push({ id: String(id), changedFields: changed, fields });
  });
  return problems.length > 0 ? { problems } : employees;
}

function statusChange(employee: Employee, statusField: string) {
  if (!employee.changedFields.includes(statusField)) return undefined;
  const status = fieldText(employee, statusField)?.toLowerCase();
  if (status === "inactive") return "user.offboarded" as const;
  if (status === "active") return "user.onboarded" as const;
  return undefined;
}

function fieldText(employee: Employee, field: string): string | undefined {
  if (field === "") return undefined;
  const value = employee.fields[field];
  // BambooHR sends some fields as {"value": ...}; accept both shapes.
  const raw =
    typeof value === "object" && value !== null ? (value as { value?: unknown }).value : value;
  return typeof raw === "string" || typeof raw === "number"
    ? String(raw).trim() || undefined
    : undefined;
}

function targets(employee: Employee, mapping: BambooHrFieldMapping) {
  const externalId = fieldText(employee, mapping.externalIdField);
  const login = fieldText(employee, mapping.loginField);
  const cdUserId = fieldText(employee, mapping.osisCdUserField);
  const accountPlatform = login ? { login } : externalId ? { externalId } : undefined;
  return {
    ...(accountPlatform ? { accountPlatform } : {}),
    ...(cdUserId ? { osis: { cdUserId } } : {}),
  };
}
