import { effectiveAtMs, type LifecycleEvent, wantsEnabled } from "../events/lifecycle-event.ts";
import type { PlatformWriteGate } from "../guard/write-gate.ts";
import { refOf } from "../ledger/person-ledger-rules.ts";
import type { LedgerReader } from "../ledger/person-record.ts";
import { judgeArrival } from "./arrival-verdict.ts";
import { type EventPlan, planOfFailure, planOfStale, planOfTargets } from "./event-plan.ts";
import { classifyFailure } from "./failure-classification.ts";
import { heldUntil } from "./late-write-rules.ts";
import { readTargets, type TargetReadOptions } from "./targets/read-targets.ts";

export interface EventPlannerOptions {
  ledger: LedgerReader;
  targets: TargetReadOptions;
  /** The consumer's write gate (the guard), asked read-only; none when the guard is off. */
  writeGate?: PlatformWriteGate | undefined;
  /** The clock an `effectiveAt` is compared with (epoch ms). */
  now: () => number;
  /** `OSIS_CREDENTIALS` (default `deactivate`): whether the plan says S3 keys would be checked. */
  osisCredentials?: "deactivate" | "ignore" | undefined;
}

/**
 * What the consumer would do with `event` now, from reads only: the consumer's own verdict
 * (`judgeArrival`: duplicate, stale, scheduled, cancelled), the targets read and refused
 * exactly as a real run reads them, the write gate's preview, and any failure classified as
 * the consumer classifies it. Nothing is written and nothing is thrown. The dry-run consumer
 * and `lifecycle plan` both call this.
 */
export async function planEvent(
  event: LifecycleEvent,
  options: EventPlannerOptions,
  signal: AbortSignal,
  arrivedAt?: number,
): Promise<EventPlan> {
  try {
    const record = await options.ledger.getPerson(event.subject);
    const now = options.now();
    const verdict = judgeArrival(record, event, { now, arrivedAt: arrivedAt ?? now });
    const effectiveAt = effectiveAtMs(event);
    if (verdict === "schedule" && effectiveAt !== undefined) {
      return { kind: "scheduled", effectiveAt };
    }
    if (verdict === "stale") return planOfStale(record, refOf(event, arrivedAt ?? now));
    if (verdict === "duplicate" || verdict === "cancelled") return { kind: verdict };
    const read = await readTargets(event, [], options.targets, signal);
    const checkKeys = (options.osisCredentials ?? "deactivate") === "deactivate";
    const want = wantsEnabled(event);
    const held = record === undefined ? undefined : heldUntil(record, want, now);
    const plan = planOfTargets(want, read, checkKeys, held);
    if (plan.kind === "apply") await options.writeGate?.preview?.(event, signal);
    return plan;
  } catch (error) {
    return planOfFailure(classifyFailure(error));
  }
}
