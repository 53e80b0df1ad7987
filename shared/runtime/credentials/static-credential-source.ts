import type { CredentialSource } from "./credential-source.ts";

/**
 * Fixed credentials, for the local stack and tests. `replace` lets a test rotate them the way
 * a rotated secret would change under a running function.
 */
export class StaticCredentialSource<T> implements CredentialSource<T> {
  #value: T;
  #reads = 0;

  constructor(value: T) {
    this.#value = value;
  }

  get reads(): number {
    return this.#reads;
  }

  replace(value: T): void {
    this.#value = value;
  }

  async get(): Promise<T> {
    this.#reads += 1;
    return this.#value;
  }

  async refresh(): Promise<T> {
    return this.get();
  }
}
