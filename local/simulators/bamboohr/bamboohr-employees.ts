/** BambooHR's employees: values by API alias, keyed by the numeric employee id. */
import { isPlainObject } from "../common/http-exchange.ts";

export type BambooHrEmployee = { id: string } & Record<string, string | null>;
/** A seed: `id` and any fields by API alias (`status`, `employeeNumber`, `workEmail`…). */
export type SeedBambooHrEmployee = { id: string | number } & Record<string, unknown>;

export class BambooHrEmployeeStore {
  readonly #employees = new Map<string, BambooHrEmployee>();

  seed(input: SeedBambooHrEmployee): BambooHrEmployee {
    const employee = toEmployee(input);
    if (this.#employees.has(employee.id)) {
      throw new TypeError(`employee ${employee.id} already exists`);
    }
    this.#employees.set(employee.id, employee);
    return { ...employee };
  }

  get(id: string): BambooHrEmployee | undefined {
    const employee = this.#employees.get(id);
    return employee === undefined ? undefined : { ...employee };
  }

  all(): BambooHrEmployee[] {
    return [...this.#employees.values()].map((employee) => ({ ...employee }));
  }

  /** A hand edit in BambooHR ("HR set the status to Inactive"); the id stays. */
  edit(id: string, patch: unknown): BambooHrEmployee | undefined {
    const employee = this.#employees.get(id);
    if (employee === undefined) return undefined;
    if (!isPlainObject(patch)) throw new TypeError("an employee patch must be a JSON object");
    const { id: _id, ...fields } = toEmployee({ ...patch, id });
    Object.assign(employee, fields);
    return { ...employee };
  }

  /** Deleting an employee in BambooHR: the API answers 404 from then on. */
  delete(id: string): boolean {
    return this.#employees.delete(id);
  }
}

function toEmployee(input: unknown): BambooHrEmployee {
  if (!isPlainObject(input)) throw new TypeError("an employee must be a JSON object");
  const id = String(input.id ?? "");
  if (!/^\d{1,20}$/.test(id)) throw new TypeError("an employee id is BambooHR's numeric id");
  const employee: BambooHrEmployee = { id };
  for (const [alias, value] of Object.entries(input)) {
    if (alias === "id") continue;
    if (value !== null && typeof value !== "string") {
      throw new TypeError(`field ${alias} must be a string or null (the API's values are text)`);
    }
    Object.defineProperty(employee, alias, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return employee;
}
