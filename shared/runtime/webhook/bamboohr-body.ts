import { problemsFromZod, type ValidationProblem } from "../events/validation.ts";
import * as z from "../events/zod-mini.ts";
import { parseBambooHrInstant } from "./bamboohr-timestamp.ts";

/**
 * The two bodies BambooHR posts, told apart by shape (docs/platforms.md, docs/webhook.md):
 * - field-based: `{"employees": [{"id", "action"?, "timestamp"?, "changedFields", "fields"}]}`,
 *   field keys being display names ("Employee #") unless aliases were configured;
 * - event-based: `{"type", "timestamp", "data": {"companyId", "employeeId", "changedFields"}}`,
 *   one event and no field values, `changedFields` holding API aliases.
 */
const employeeId = z.pipe(
  z.union([z.string().check(z.trim(), z.minLength(1)), z.int().check(z.nonnegative())], {
    error: "must be the employee id (a non-empty string or a whole number)",
  }),
  z.transform(String),
);

const instant = z.string().check(
  z.refine((text) => parseBambooHrInstant(text) !== undefined, {
    error: "must be an ISO 8601 instant with an offset (for example 2026-01-31T18:42:00+0000)",
  }),
);

const NUMERIC_ID = "must be BambooHR's numeric employee id";

const fieldNames = z.array(z.string(), { error: "must be an array of field names" });

const employee = z.looseObject({
  id: employeeId,
  action: z.optional(z.string()),
  timestamp: z.optional(instant),
  // A form-encoded body has no way to send an empty list or object: absent means empty.
  changedFields: z._default(fieldNames, []),
  fields: z._default(
    z.record(z.string(), z.unknown(), { error: "must be an object of field values" }),
    {},
  ),
});

const fieldBasedBody = z.looseObject({
  employees: z.array(employee, { error: "must be an array of employees" }),
});

const eventBasedBody = z.looseObject({
  type: z.string({ error: "must be the event type (employee.updated…)" }).check(z.minLength(1)),
  timestamp: instant,
  data: z.looseObject(
    {
      companyId: z.optional(z.union([z.string(), z.int()])),
      // Read back through the API, so only BambooHR's numeric ids: no path can be smuggled in.
      employeeId: z.pipe(
        z.union(
          [z.string().check(z.regex(/^\d{1,20}$/, NUMERIC_ID)), z.int().check(z.nonnegative())],
          {
            error: NUMERIC_ID,
          },
        ),
        z.transform(String),
      ),
      changedFields: z._default(fieldNames, []),
    },
    { error: 'must be an object with "employeeId"' },
  ),
});

export type FieldBasedEmployee = z.infer<typeof employee>;
export type EmployeeEvent = z.infer<typeof eventBasedBody>;

export type BambooHrDelivery =
  | { format: "field-based"; employees: FieldBasedEmployee[] }
  | { format: "event-based"; event: EmployeeEvent };

export type BambooHrBodyResult =
  | { ok: true; delivery: BambooHrDelivery }
  | { ok: false; problems: ValidationProblem[] };

export function readBambooHrBody(body: unknown): BambooHrBodyResult {
  const shape = typeof body === "object" && body !== null && !Array.isArray(body) ? body : {};
  if (Object.hasOwn(shape, "employees")) {
    const parsed = fieldBasedBody.safeParse(body);
    if (!parsed.success) return { ok: false, problems: problemsFromZod(parsed.error) };
    return { ok: true, delivery: { format: "field-based", employees: parsed.data.employees } };
  }
  if (Object.hasOwn(shape, "type")) {
    const parsed = eventBasedBody.safeParse(body);
    if (!parsed.success) return { ok: false, problems: problemsFromZod(parsed.error) };
    return { ok: true, delivery: { format: "event-based", event: parsed.data } };
  }
  return {
    ok: false,
    problems: [
      {
        path: "$",
        message:
          'must be a BambooHR delivery: {"employees": […]} (field-based) or {"type", "timestamp", "data"} (event-based)',
      },
    ],
  };
}

/**
 * A field's value as text: a string or number, or the same wrapped as `{"value": …}`; blank
 * values count as missing.
 */
export function fieldText(value: unknown): string | undefined {
  const raw =
    typeof value === "object" && value !== null ? (value as { value?: unknown }).value : value;
  if (typeof raw !== "string" && (typeof raw !== "number" || !Number.isFinite(raw))) {
    return undefined;
  }
  const text = String(raw).trim();
  return text === "" ? undefined : text;
}
