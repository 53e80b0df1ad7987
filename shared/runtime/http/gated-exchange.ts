import type { Admission, CallGate } from "./call-gate.ts";
import type { AttemptCount } from "./counted-exchange.ts";
import type { FetchFunction } from "./exchange.ts";

/**
 * Every exchange passes the gates in order, and each is told how it ended. A gate that refuses
 * throws (the breaker's `CircuitOpenError`): nothing is sent.
 */
export function throughGates(
  send: FetchFunction,
  gates: readonly CallGate[],
  exchange: { operation: string; signal?: AbortSignal | undefined },
  attempts: AttemptCount,
): FetchFunction {
  return async (input, init) => {
    const admissions = await admit(gates, exchange);
    try {
      return await send(input, init);
    } finally {
      for (const admission of admissions) await admission.done(attempts.last);
    }
  };
}

async function admit(
  gates: readonly CallGate[],
  exchange: { operation: string; signal?: AbortSignal | undefined },
): Promise<Admission[]> {
  const admissions: Admission[] = [];
  try {
    for (const gate of gates) admissions.push(await gate.admit(exchange));
  } catch (error) {
    for (const admission of admissions) await admission.done({ status: "aborted" });
    throw error;
  }
  return admissions;
}
