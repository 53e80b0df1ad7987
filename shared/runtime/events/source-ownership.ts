import type { LifecycleEvent } from "./lifecycle-event.ts";
import type { ValidationProblem } from "./validation.ts";

/**
 * Which producer owns which event source. The ledger's idempotency key and the queue's
 * deduplication id are made of `source` + `id`, so a producer using another's source could
 * pre-empt that producer's events (its ids would read as duplicates) or claim its powers:
 * only reconciliation's events may carry `lifecyclecorrects`, which lets an event be applied
 * whatever its time (shared/runtime/reconcile/corrective-event.ts).
 */

export const BAMBOOHR_SOURCE = "bamboohr";
export const RECONCILE_SOURCE = "urn:lifecycle:reconcile";
/** The SCIM route's events: an identity provider's decisions (shared/runtime/scim-service/). */
export const SCIM_SOURCE = "urn:lifecycle:scim";
/** The CloudEvents extension naming the applied event a corrective event re-asserts. */
export const CORRECTS_ATTRIBUTE = "lifecyclecorrects";

const OWNERS: ReadonlyMap<string, string> = new Map([
  [BAMBOOHR_SOURCE, "the /bamboohr route"],
  [RECONCILE_SOURCE, "reconciliation"],
  [SCIM_SOURCE, "the /scim/v2 route"],
]);

/** Whether the event comes from reconciliation (only then is its marker honoured). */
export function isFromReconciliation(event: Pick<LifecycleEvent, "source">): boolean {
  return event.source === RECONCILE_SOURCE;
}

/**
 * What a producer outside the product may not claim: reconciliation's marker, and (with
 * `ownSourcesOnly`, the `/events` route) a source another route or reconciliation owns.
 * Compared case-insensitively: refusing a look-alike costs nothing.
 */
export function foreignClaimProblems(
  event: LifecycleEvent,
  root: string,
  options: { ownSourcesOnly: boolean },
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const owner = OWNERS.get(event.source.toLowerCase());
  if (options.ownSourcesOnly && owner !== undefined) {
    problems.push({ path: `${root}.source`, message: `is owned by ${owner}; use your own source` });
  }
  if (CORRECTS_ATTRIBUTE in event) {
    problems.push({
      path: `${root}.${CORRECTS_ATTRIBUTE}`,
      message: `is set only by reconciliation (source ${RECONCILE_SOURCE})`,
    });
  }
  return problems;
}
