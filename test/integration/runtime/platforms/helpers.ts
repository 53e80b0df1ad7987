import { inspect } from "node:util";
import { expect } from "vitest";

/** Settles a promise into its error, failing the test if it resolved. */
export async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) throw new Error(`expected a failure, got ${inspect(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(Error);
  return outcome.error as Error;
}

/** Every way an error can be shown: message, stack, JSON, and a deep inspection of its fields and cause chain. */
export function renderings(error: Error): string[] {
  const texts = [error.message, String(error), JSON.stringify(error), error.stack ?? ""];
  texts.push(inspect(error, { depth: 20, showHidden: true, getters: true }));
  let cause: unknown = error.cause;
  for (let depth = 0; cause !== undefined && depth < 10; depth += 1) {
    texts.push(inspect(cause, { depth: 20, showHidden: true }));
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return texts;
}

export function expectNoSecretIn(texts: readonly string[], secrets: readonly string[]): void {
  // The failure names positions only: printing the text would print the secret.
  secrets.forEach((secret, s) => {
    texts.forEach((text, t) => {
      if (text.includes(secret)) throw new Error(`secret #${s} leaked into rendering #${t}`);
    });
  });
}

export function basicOf(user: string, password: string): string {
  return Buffer.from(`${user}:${password}`).toString("base64");
}
