/** The event of the rule that only carries an unfinished pass on (the schedule's start one). */
export const CONTINUE_PASS_EVENT = { lifecycle: "continue" } as const;

/** How often that rule runs: each run has at most ten minutes, so two never overlap. */
export const CONTINUE_PASS_MINUTES = 15;
