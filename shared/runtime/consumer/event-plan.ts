import type { FailureReason, FailureTarget } from "../../contract/dead-letter-attributes.ts";
import type { EventRef, PersonRecord } from "../ledger/person-record.ts";
import { isOsisUserActive } from "../platforms/osis/osis.ts";
import { supersededBy } from "./arrival-verdict.ts";
import type { Failure } from "./failure-classification.ts";
import type { ReadTargets } from "./targets/read-targets.ts";

/**
 * What the consumer would do with one event right now, decided by the same reads and rules as
 * a real run but writing nothing. A dry-run consumer puts `describePlan` of it in its
 * `dry_run` dead letter; `lifecycle plan` prints it.
 */
export type EventPlan =
  /** At least one target would be written. */
  | { kind: "apply"; targets: TargetPlan[] }
  /** Every target the event names is already as wanted. */
  | { kind: "nothing_to_do"; targets: TargetPlan[] }
  /** Its `data.effectiveAt` (epoch ms) is ahead: recorded for then, nothing written now. */
  | { kind: "scheduled"; effectiveAt: number }
  /** Its scheduled change was settled (by a newer event, or an operator): never applied. */
  | { kind: "cancelled" }
  /** Applied already, or it is the person's scheduled change, not yet due. */
  | { kind: "duplicate" }
  /**
   * `scheduled`: the person's pending change that governs the instants it would have, when that
   * (not the newest applied event) is what it is not newer than. `newestApplied` is absent only for a corrective event whose event
   * is no longer the newest.
   */
  | {
      kind: "stale";
      newestApplied: EventRef | undefined;
      scheduled?: EventRef & { effectiveAt: number };
    }
  /** A refusal or a permanent failure: the event would go to the DLQ with this reason. */
  | {
      kind: "dead_letter";
      reason: FailureReason;
      target?: FailureTarget | undefined;
      status?: number | undefined;
      detail: string;
    }
  /** A platform or the ledger could not be read now (transient): the consumer would retry. */
  | {
      kind: "retry";
      target?: FailureTarget | undefined;
      status?: number | undefined;
      detail: string;
      retryAfterMs?: number | undefined;
    };

export type TargetPlan =
  | {
      target: "account-platform";
      userId: string;
      version: number;
      enable: boolean;
      change: boolean;
    }
  | {
      target: "osis";
      tenantId: string;
      userId: string;
      activate: boolean;
      change: boolean;
      /** `OSIS_CREDENTIALS=deactivate`: the user's S3 keys would be listed and set (not here). */
      checkKeys: boolean;
      /** An earlier OSIS write of the other state may still land until then (epoch ms). */
      heldUntil?: number | undefined;
    };

/**
 * Per target read: would it change? `apply` when any would, else `nothing_to_do`. The S3 keys
 * are not listed for a plan (one backend creates a key when it lists none): it says they would
 * be checked.
 */
export function planOfTargets(
  wantEnabled: boolean,
  read: ReadTargets,
  checkKeys: boolean,
  osisHeldUntil?: number,
): EventPlan {
  const targets: TargetPlan[] = [];
  if (read.account) {
    targets.push({
      target: "account-platform",
      userId: read.account.id,
      version: read.account.version,
      enable: wantEnabled,
      change: read.account.enabled !== wantEnabled,
    });
  }
  if (read.osis) {
    targets.push({
      target: "osis",
      tenantId: read.osis.tenantId,
      userId: read.osis.userId,
      activate: wantEnabled,
      change: isOsisUserActive(read.osis.user) !== wantEnabled,
      checkKeys,
      heldUntil: osisHeldUntil,
    });
  }
  return targets.some((target) => target.change)
    ? { kind: "apply", targets }
    : { kind: "nothing_to_do", targets };
}

/** A stale event, and what governs the instants it would have (`supersededBy`). */
export function planOfStale(record: PersonRecord | undefined, event: EventRef): EventPlan {
  const { newestApplied, pending } = supersededBy(record, event);
  if (pending === undefined) return { kind: "stale", newestApplied };
  const { source, id, type, time, effectiveAt } = pending;
  return { kind: "stale", newestApplied, scheduled: { source, id, type, time, effectiveAt } };
}

/** A failure met while planning, as the consumer would treat it. */
export function planOfFailure(failure: Failure): EventPlan {
  const { target, status, detail } = failure;
  return failure.kind === "permanent"
    ? { kind: "dead_letter", reason: failure.reason, target, status, detail }
    : {
        kind: "retry",
        target,
        status,
        detail,
        retryAfterMs: failure.kind === "transient" ? failure.retryAfterMs : undefined,
      };
}

/**
 * The plan in words, one line (it is a DLQ attribute's value and a table cell), e.g.
 * `would disable account-platform user 1c23… (version 3); would deactivate OSIS user t-1/u-jdoe`.
 */
export function describePlan(plan: EventPlan): string {
  switch (plan.kind) {
    case "apply":
      return plan.targets.map(describeTarget).join("; ");
    case "nothing_to_do": {
      const osis = plan.targets.find((target) => target.target === "osis");
      const keys = osis?.checkKeys ? " but check the OSIS user's S3 keys" : "";
      const held = osis?.heldUntil === undefined ? "" : `, but ${notBefore(osis.heldUntil)}`;
      return `already as wanted on ${whereOf(plan.targets)}: nothing to do${keys}${held}`;
    }
    case "scheduled":
      return `would be scheduled until ${iso(plan.effectiveAt)}: nothing is written before then`;
    case "cancelled":
      return "its scheduled change was cancelled (by a newer event or an operator): never applied";
    case "duplicate":
      return "already applied or scheduled (the same source and id): nothing to do";
    case "stale":
      if (plan.scheduled) {
        const { type, time, effectiveAt } = plan.scheduled;
        return `stale: a newer ${type} of ${iso(time)} is scheduled for ${iso(effectiveAt)}: nothing to do`;
      }
      return plan.newestApplied
        ? `stale: a newer ${plan.newestApplied.type} of ${iso(plan.newestApplied.time)} was applied: nothing to do`
        : "stale: the event it corrects is no longer the newest applied: nothing to do";
    case "dead_letter":
      return `would dead-letter: ${plan.reason}${plan.target ? ` (${plan.target})` : ""}: ${plan.detail}`;
    case "retry":
      return `would retry: ${plan.target ? `${plan.target}: ` : ""}${plan.detail}`;
  }
}

function describeTarget(target: TargetPlan): string {
  if (target.target === "account-platform") {
    const verb = target.enable ? "enable" : "disable";
    return target.change
      ? `would ${verb} account-platform user ${target.userId} (version ${target.version})`
      : `account-platform user ${target.userId} already ${verb}d`;
  }
  const verb = target.activate ? "activate" : "deactivate";
  const user = `OSIS user ${target.tenantId}/${target.userId}`;
  const keys = target.checkKeys ? ` (and would check its S3 keys)` : "";
  const held = target.heldUntil === undefined ? "" : `, ${notBefore(target.heldUntil)}`;
  return target.change
    ? `would ${verb} ${user}${keys}${held}`
    : `${user} already ${target.activate ? "active" : "inactive"}${keys}${held}`;
}

/** The consumer holds the OSIS target until then (late-write-rules.ts). */
function notBefore(heldUntil: number): string {
  return `not before ${iso(heldUntil)} (an earlier OSIS write may still land)`;
}

function whereOf(targets: readonly TargetPlan[]): string {
  if (targets.length > 1) return "both platforms";
  return targets[0]?.target === "osis" ? "OSIS" : "the account platform";
}

const iso = (epochMs: number): string => new Date(epochMs).toISOString();
