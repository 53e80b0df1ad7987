/** The CloudEvents `type` of a lifecycle event: every producer sends one of these. */
export const LIFECYCLE_EVENT_TYPES = ["user.onboarded", "user.offboarded"] as const;
export type LifecycleEventType = (typeof LIFECYCLE_EVENT_TYPES)[number];
