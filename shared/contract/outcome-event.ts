/**
 * The outcome event on EventBridge: what the functions and the CLI publish with, and what the
 * stack's rules (the outcome log, the webhook) match on.
 */

/** The event's `source` unless the context `lifecycle:outcomeSource` names another. */
export const OUTCOME_DEFAULT_SOURCE = "hr-lifecycle-sync";
/** The event's `detail-type`. */
export const OUTCOME_DETAIL_TYPE = "Lifecycle Change Outcome";
