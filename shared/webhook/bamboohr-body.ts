import * as z from "zod";

/**
 * The body of a BambooHR webhook: `{"employees": [{"id", "changedFields", "fields"}]}`. Field
 * names are BambooHR's (English) names, or the aliases chosen when the webhook was set up.
 */
const employeeId = z
  .union([z.string().trim().min(1), z.int().nonnegative()], {
    error: "must be the employee id (a non-empty string or a whole number)",
  })
  .transform(String);

const employee = z.looseObject({
  id: employeeId,
  changedFields: z.array(z.string(), { error: "must be an array of field names" }),
  fields: z.record(z.string(), z.unknown(), { error: "must be an object of field values" }),
});

export const bambooHrBodySchema = z.looseObject(
  { employees: z.array(employee, { error: "must be an array of employees" }) },
  { error: 'must be a JSON object with "employees"' },
);

export type BambooHrEmployee = z.infer<typeof employee>;

/**
 * A field's value as text: a string or number, or the same wrapped as `{"value": …}`; blank
 * values count as missing.
 */
export function fieldText(employee: BambooHrEmployee, field: string): string | undefined {
  if (!Object.hasOwn(employee.fields, field)) return undefined;
  const value = employee.fields[field];
  const raw =
    typeof value === "object" && value !== null ? (value as { value?: unknown }).value : value;
  if (typeof raw !== "string" && (typeof raw !== "number" || !Number.isFinite(raw))) {
    return undefined;
  }
  const text = String(raw).trim();
  return text === "" ? undefined : text;
}
