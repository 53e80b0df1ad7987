/**
 * How large an event may be, and how far ahead of now it may be dated or scheduled. Plain
 * numbers, apart from the schema: the setting rules and the webhook read them without loading
 * zod.
 */

/** Serialized size limit; well under SQS's 256 KiB so DLQ attributes always fit beside it. */
export const MAX_EVENT_BYTES = 64 * 1024;

/** `LIFECYCLE_MAX_FUTURE_SECONDS` when not set. */
export const DEFAULT_MAX_FUTURE_SECONDS = 300;
/** `LIFECYCLE_MAX_SCHEDULE_DAYS` when not set. */
export const DEFAULT_MAX_SCHEDULE_DAYS = 400;
