/**
 * What can happen when the consumer reads a BambooHR employee back (a BambooHR signal,
 * shared/runtime/consumer/bamboohr-read-back.ts). Messages name the employee id only, never a value.
 */

/**
 * BambooHR does not let the API key read the employee (404, 403). HR's current values are
 * never guessed: the signal is retried like any transient failure, and ends in the DLQ as
 * `retries_exhausted` when it stays unreadable (redrive it once the key may read the employee).
 */
export class EmployeeUnreadableError extends Error {
  override readonly name = "EmployeeUnreadableError";
  readonly employeeId: string;
  readonly status: number | undefined;

  constructor(employeeId: string, status: number | undefined, cause: unknown) {
    super(
      `BambooHR employee ${employeeId} cannot be read through the API (${status ?? "no status"}): the change waits; HR's values are never guessed`,
      { cause },
    );
    this.employeeId = employeeId;
    this.status = status;
  }
}

/** HR's current values make no valid event (no status, no target, …): no retry can help. */
export class UnmappableEmployeeError extends Error {
  override readonly name = "UnmappableEmployeeError";
  readonly employeeId: string;

  constructor(employeeId: string, problems: string) {
    super(`BambooHR employee ${employeeId}, read back, maps to no valid event: ${problems}`);
    this.employeeId = employeeId;
  }
}
