import type { createConsumerHandler } from "../functions/consumer/create-handler.ts";
import type { SqsBatchHandler } from "../local/event-source-poller-options.ts";
import type { LocalStackFile } from "../shared/operator/configuration/local-stack-file.ts";
import type { RecordOutcome } from "../shared/runtime/consumer/outcome.ts";
import type { consumerDependencies } from "./drain-benchmark.ts";

/** A consumer handler on the child stack, from the working tree or from a git ref's files. */
export interface ConsumerUnderTest {
  label: string;
  handler: SqsBatchHandler;
  close(): Promise<void>;
}

/**
 * The consumer as the drain benchmark wires it (default settings, the mass-offboarding guard
 * off, `tuning` over them), built from the code under `root` (a checkout of a ref, bench
 * included) or, without one, from the working tree. The harness around it (stack, poller,
 * measurements) is always the working tree's, so two consumers are measured alike.
 */
export async function loadConsumer(options: {
  label: string;
  root?: string | undefined;
  file: LocalStackFile;
  tuning: Record<string, string>;
  onOutcome: (outcome: RecordOutcome) => void;
}): Promise<ConsumerUnderTest> {
  const base =
    options.root === undefined ? new URL("../", import.meta.url).href : `file://${options.root}`;
  const bench = (await import(`${base}bench/drain-benchmark.ts`)) as {
    consumerDependencies?: typeof consumerDependencies;
  };
  const wiring = (await import(`${base}functions/consumer/create-handler.ts`)) as {
    createConsumerHandler?: typeof createConsumerHandler;
  };
  if (bench.consumerDependencies === undefined || wiring.createConsumerHandler === undefined) {
    throw new Error(
      `${options.label} has no consumerDependencies in bench/drain-benchmark.ts or no createConsumerHandler: it cannot be compared`,
    );
  }
  const dependencies = bench.consumerDependencies(options.file, options.tuning, options.onOutcome);
  return {
    label: options.label,
    handler: wiring.createConsumerHandler(dependencies),
    close: async () => {
      // Older consumers have no settings recording (they wrote it at cold start).
      await (
        dependencies as { settingsRecording?: { settled(): Promise<void> } }
      ).settingsRecording?.settled();
      dependencies.close();
    },
  };
}
