export * from "./deduplication-id.ts";
export * from "./event-limits.ts";
export * from "./lifecycle-event.ts";
export * from "./message-body.ts";
export * from "./validation.ts";
