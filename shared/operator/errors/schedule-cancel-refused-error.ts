/** Why a cancel did not happen. */
export class ScheduleCancelRefusedError extends Error {
  override readonly name = "ScheduleCancelRefusedError";
}
