import { judgeForRedrive } from "../dlq-operations/stale-check.ts";
import { type LifecycleEvent, wantsEnabled } from "../events/lifecycle-event.ts";
import type { LedgerReader } from "../ledger/person-record.ts";
import { type EventPlan, planOfFailure, planOfTargets } from "./event-plan.ts";
import { classifyFailure } from "./failure-classification.ts";
import { readTargets, type TargetReadOptions } from "./targets/read-targets.ts";
import type { PlatformWriteGate } from "./targets/write-gate.ts";

export interface EventPlannerOptions {
  ledger: LedgerReader;
  targets: TargetReadOptions;
  /** The consumer's write gate (the guard), asked read-only; none when the guard is off. */
  writeGate?: PlatformWriteGate | undefined;
}

/**
 * What the consumer would do with `event` now, from reads only: the ledger's judgement
 * (duplicate, stale), the targets read and refused exactly as a real run reads them, the write
 * gate's preview, and any failure classified as the consumer classifies it. Nothing is written
 * and nothing is thrown. The dry-run consumer and `lifecycle plan` both call this.
 */
export async function planEvent(
  event: LifecycleEvent,
  options: EventPlannerOptions,
  signal: AbortSignal,
): Promise<EventPlan> {
  try {
    const verdict = judgeForRedrive(await options.ledger.getPerson(event.subject), event);
    if (verdict.kind !== "redrive") return verdict;
    const read = await readTargets(event, [], options.targets, signal);
    const plan = planOfTargets(wantsEnabled(event), read);
    if (plan.kind === "apply") await options.writeGate?.preview?.(event, signal);
    return plan;
  } catch (error) {
    return planOfFailure(classifyFailure(error));
  }
}
