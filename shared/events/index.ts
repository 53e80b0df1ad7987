export * from "./deduplication-id.ts";
export * from "./lifecycle-event.ts";
export * from "./validation.ts";
