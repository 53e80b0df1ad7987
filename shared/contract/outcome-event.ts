/**
 * The outcome events published on EventBridge (docs/outcomes.md): the `source` (the stack's
 * context `lifecycle:outcomeSource` may change it; the functions read it as `OUTCOME_SOURCE`)
 * and the `detail-type` every rule pattern matches.
 */
export const OUTCOME_SOURCE = "hr-lifecycle-sync";
export const OUTCOME_DETAIL_TYPE = "Lifecycle Change Outcome";
