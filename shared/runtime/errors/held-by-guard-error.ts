/**
 * The mass-offboarding guard holds this offboard: permanent, so the consumer sends it to the
 * DLQ at once with reason `held_by_guard`, to be redriven once an operator has released the
 * guard.
 */
export class HeldByGuardError extends Error {
  override readonly name = "HeldByGuardError";
  constructor(detail: string) {
    super(detail);
  }
}
