import { LOCAL_OUTCOMES_FILE } from "../shared/operator/configuration/local-stack-file.ts";
import { EXIT } from "../shared/operator/terminal/exit-codes.ts";
import { ConfigurationError } from "../shared/runtime/errors/configuration-error.ts";
import { createLogger, defaultLogFormat } from "../shared/runtime/logging/logger.ts";
import { renderBanner } from "./banner.ts";
import { renderDemoReport } from "./demo/demo-report.ts";
import { OutcomeRecorder, runDemo } from "./demo/run-demo.ts";
import { EPHEMERAL_PORTS, type LocalPorts } from "./local-ports.ts";
import { startLocalStack } from "./local-stack.ts";
import { PortUnavailableError } from "./port-unavailable-error.ts";
import type { LocalStack } from "./running-local-stack.ts";
import { DrainTimeoutError } from "./wait-until-drained.ts";

/**
 * Runs the local stack in the foreground until `signal` aborts (the first Ctrl-C), or runs the
 * demo and returns. The process-level parts (signals, exit) belong to the caller: local/main.ts
 * or the CLI's `lifecycle local`.
 */
export interface LocalRunSettings {
  demo: boolean;
  dataDir: string | undefined;
  ports: LocalPorts;
  /** Ports set by a flag or an environment variable (the demo uses free ports otherwise). */
  explicitPorts: Partial<LocalPorts>;
  concurrency: number | undefined;
  functionTimeoutMs: number | undefined;
}

export interface LocalRunIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Aborted by the first Ctrl-C: stop cleanly. */
  signal: AbortSignal;
  /** How the banner tells the user to run the CLI. Default "npm run lifecycle --". */
  cliCommand?: string;
  /** Default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The demo's consumer settings, whatever the environment says: quick backoff so it ends in
 * seconds, and nothing (DRY_RUN, PROTECTED_ACCOUNTS, real platform URLs) that would change
 * the script's outcomes.
 */
export const DEMO_ENVIRONMENT: Readonly<Record<string, string>> = {
  CONSUMER_BACKOFF_BASE_SECONDS: "1",
  CONSUMER_BACKOFF_CAP_SECONDS: "2",
  CONSUMER_PLATFORM_TIMEOUT_MS: "2000",
};

export function runLocal(settings: LocalRunSettings, io: LocalRunIo): Promise<number> {
  return settings.demo ? runDemoMode(settings, io) : runStack(settings, io);
}

async function runStack(settings: LocalRunSettings, io: LocalRunIo): Promise<number> {
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      ports: settings.ports,
      dataDir: settings.dataDir,
      env: io.env ?? process.env,
      consumer: {
        concurrency: settings.concurrency,
        functionTimeoutMs: settings.functionTimeoutMs,
      },
      reconcile: true,
      logger: createLogger({
        format: defaultLogFormat(),
        sink: (line) => io.stdout.write(`${line}\n`),
      }),
    });
  } catch (error) {
    io.stderr.write(`${describeStartFailure(error)}\n`);
    return EXIT.failure;
  }
  io.stdout.write(
    renderBanner(stack, {
      cliCommand: io.cliCommand ?? "npm run lifecycle --",
      dataDir: settings.dataDir,
    }),
  );
  await aborted(io.signal);
  io.stderr.write(
    "\nStopping: no new batches; running ones get up to 5 s. (Ctrl-C again to quit at once)\n",
  );
  try {
    await stack.stop();
  } catch (error) {
    io.stderr.write(`The local stack did not stop cleanly: ${messageOf(error)}\n`);
    return EXIT.failure;
  }
  io.stderr.write("Stopped.\n");
  return EXIT.ok;
}

async function runDemoMode(settings: LocalRunSettings, io: LocalRunIo): Promise<number> {
  const recorder = new OutcomeRecorder();
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      ports: { ...EPHEMERAL_PORTS, ...settings.explicitPorts },
      env: DEMO_ENVIRONMENT,
      consumer: {
        concurrency: settings.concurrency,
        functionTimeoutMs: settings.functionTimeoutMs,
      },
      stackFile: false,
      // `lifecycle outcomes` shows the demo's outcomes (the stack file is not written).
      outcomes: { file: LOCAL_OUTCOMES_FILE },
      // The table is the demo's output; only real trouble is logged, on stderr.
      logger: createLogger({
        level: (io.env ?? process.env).LOG_LEVEL ? undefined : "error",
        format: defaultLogFormat(),
        sink: (line) => io.stderr.write(`${line}\n`),
      }),
      onOutcome: recorder.record,
    });
  } catch (error) {
    io.stderr.write(`${describeStartFailure(error)}\n`);
    return EXIT.failure;
  }
  const env = io.env ?? process.env;
  if (env.ACCOUNT_PLATFORM_URL || env.OSIS_URL) {
    io.stderr.write(
      "The demo always runs on the simulators; ACCOUNT_PLATFORM_URL and OSIS_URL are ignored.\n",
    );
  }
  io.stdout.write(
    "Demo: scripted events through the local stack (the deployed handlers, simulated platforms).\n\n",
  );
  try {
    const result = await runDemo(stack, recorder, { signal: io.signal });
    io.stdout.write(renderDemoReport(result));
    return result.events.every((event) => event.asExpected) ? EXIT.ok : EXIT.failure;
  } catch (error) {
    if (io.signal.aborted) return EXIT.interrupted;
    io.stderr.write(
      error instanceof DrainTimeoutError
        ? `The demo stopped waiting: ${error.message}.\n`
        : `The demo failed: ${messageOf(error)}\n`,
    );
    return EXIT.failure;
  } finally {
    await stack.stop();
  }
}

/** One sentence (a configuration error lists each bad variable under it). */
export function describeStartFailure(error: unknown): string {
  if (error instanceof PortUnavailableError) return error.message;
  if (error instanceof ConfigurationError) {
    return `The local stack did not start. ${error.message}`;
  }
  return `The local stack could not start: ${messageOf(error)}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true }),
  );
}
