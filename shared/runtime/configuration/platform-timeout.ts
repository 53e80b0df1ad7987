/**
 * How long one HTTP attempt to a platform may take, when nothing says otherwise: the default of
 * CONSUMER_PLATFORM_TIMEOUT_MS and RECONCILE_PLATFORM_TIMEOUT_MS, of both platform clients, and
 * of the CLI's reads. A file of its own so the clients take the number without zod.
 */
export const DEFAULT_PLATFORM_TIMEOUT_MS = 5_000;
