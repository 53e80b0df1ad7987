/** The CloudEvents `type` of a lifecycle event: every producer sends one of these. */
export const LIFECYCLE_EVENT_TYPES = ["user.onboarded", "user.offboarded"] as const;
export type LifecycleEventType = (typeof LIFECYCLE_EVENT_TYPES)[number];

/**
 * The CloudEvents `type` of a BambooHR signal ("employee E changed", read back by the consumer):
 * the webhook sends it, the consumer knows it by this name before loading the signal's schema.
 */
export const BAMBOOHR_SIGNAL_TYPE = "com.bamboohr.employee.changed";
