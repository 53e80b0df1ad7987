import type * as EventValidationModule from "../events/validation.ts";

/** What the consumer validates an event with: validation.ts, the schema and zod behind it. */
export type EventValidation = typeof EventValidationModule;

/**
 * The event's validation is imported at the first record, not when the consumer is: its schema
 * and zod, evaluated at import, would cost every cold start milliseconds before any event has
 * arrived. Only this dynamic import reaches them, so the bundle evaluates them at its first call.
 */
export function importEventValidation(): Promise<EventValidation> {
  return import("../events/validation.ts");
}

/**
 * `load`, called at the first use and its result handed to every use after. A failed load is
 * not kept: the use it failed fails, and the next use loads again.
 */
export function loadedOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
