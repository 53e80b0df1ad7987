import { DeadlineExceededError } from "../errors/deadline-error.ts";

/**
 * How long the webhook may spend reading a delivery (BambooHR's API, the ledger's lookups of
 * deleted employees) before it answers 503: inside API Gateway's integration timeout (29 s),
 * with time left to answer, so the sender hears "retry" instead of a gateway timeout.
 */
export const READ_DEADLINE_MS = 25_000;
/** Kept back from the function's own remaining time, to answer and to flush logs and metrics. */
export const ANSWER_MARGIN_MS = 1_000;

/** The deadline of one invocation: READ_DEADLINE_MS, or less when the function has less left. */
export function readDeadlineMs(remainingMs: number): number {
  return Math.max(0, Math.min(READ_DEADLINE_MS, remainingMs - ANSWER_MARGIN_MS));
}

/**
 * The work's result, or DeadlineExceededError once `deadlineMs` has passed. Work still running
 * then only reads: it is left to end on its own (its failure is not reported twice).
 */
export async function beforeDeadline<T>(
  work: Promise<T>,
  deadlineMs: number,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(what, deadlineMs)), deadlineMs);
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
