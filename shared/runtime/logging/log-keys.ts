import { AsyncLocalStorage } from "node:async_hooks";
import type { LogFields } from "./redacting-log-formatter.ts";

const scope = new AsyncLocalStorage<LogFields>();

/**
 * Runs `work` with `keys` on every line any logger writes until it settles, whichever object
 * logs (the consumer, a platform client, the ledger): one event can be followed through a whole
 * invocation with one filter, while other records of the same batch run beside it with their
 * own keys. A field given to a log call wins over a key of the same name.
 */
export function withLogKeys<T>(keys: LogFields, work: () => Promise<T>): Promise<T> {
  return scope.run({ ...scope.getStore(), ...keys }, work);
}

export function currentLogKeys(): LogFields | undefined {
  return scope.getStore();
}
