import { describeError, type Logger } from "../logging/logger.ts";

/**
 * The consumer's settings written to the ledger once per execution environment, beside its
 * first batch (so `lifecycle guard status` shows the guard the consumer really runs). Never at
 * cold start: a cold start makes no call but the two secret reads, so a slow or failing ledger
 * cannot delay or fail it. Never waited for: the batch goes on while the write runs, and a write
 * still running when the batch returns finishes in the environment's next invocation. A failure
 * is logged once and not tried again until the next cold start; the guard works without it.
 */
export class SettingsRecording {
  readonly #write: () => Promise<void>;
  readonly #logger: Logger;
  #written: Promise<void> | undefined;

  constructor(options: { write: () => Promise<void>; logger: Logger }) {
    this.#write = options.write;
    this.#logger = options.logger;
  }

  /** Starts the write on the first call; later calls do nothing. Never throws. */
  begin(): void {
    this.#written ??= Promise.resolve()
      .then(this.#write)
      .catch((error: unknown) => {
        this.#logger.warn("Could not record the consumer's settings in the ledger", {
          error: describeError(error),
        });
      });
  }

  /** Settles once the write has ended, well or not (tests and the local stack's shutdown). */
  async settled(): Promise<void> {
    await this.#written;
  }
}
