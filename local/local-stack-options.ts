import type { Environment } from "../shared/runtime/consumer/consumer-config.ts";
import type { OnOutcome } from "../shared/runtime/consumer/outcome.ts";
import type { Logger } from "../shared/runtime/logging/logger.ts";
import type { Metrics } from "../shared/runtime/metrics/metrics.ts";
import type { LocalOutcomesOption } from "./local-outcomes.ts";
import type { LocalPorts } from "./local-ports.ts";

/** What `npm start`'s flags, the tests and the benchmarks choose; every choice has a default. */
export interface LocalStackOptions {
  /** Default: the documented fixed ports (DEFAULT_LOCAL_PORTS); 0 = a free port. */
  ports?: Partial<LocalPorts>;
  /** Keeps the ledger on disk in this directory (queues are always in memory). */
  dataDir?: string | undefined;
  /**
   * Where the real-platform variables and the consumer's tuning variables are read
   * (CONSUMER_*, PROTECTED_ACCOUNTS, DRY_RUN). Default: process.env.
   */
  env?: Environment;
  consumer?: {
    /** Concurrent pollers (Lambda's maximum concurrency). Default 10. */
    concurrency?: number | undefined;
    /** The consumer function's timeout. Default 60 s, as deployed. */
    functionTimeoutMs?: number | undefined;
    /** Long-poll wait, 0 to 20 s. Default 20. */
    waitTimeSeconds?: number | undefined;
    batchSize?: number | undefined;
    /** How long a stop waits for running invocations. Default 5 s. */
    stopGraceMs?: number | undefined;
  };
  /** Seed the demo people into the simulators. Default true. */
  seedDemoPeople?: boolean;
  /** Where to write the stack file; false = do not write it. Default `.lifecycle/local.json`. */
  stackFile?: string | false;
  logger?: Logger;
  /** Default: none (EMF lines would only clutter a terminal). */
  metrics?: Metrics;
  /** Told of every record's outcome. */
  onOutcome?: OnOutcome;
  /** Backoff jitter of the consumer (fixed in reproducible runs). */
  random?: () => number;
  /** Start the poller at once. Default true. */
  startPolling?: boolean;
  /** The scheduler of due changes: its interval (default 2 s) and whether it starts at once (default true). */
  scheduler?: { intervalMs?: number | undefined; start?: boolean | undefined };
  /**
   * Run the scheduled reconciliation on the stack's clock (local-reconcile.ts). Default false:
   * its platform reads would add to what tests and benchmarks count; `npm start` turns it on.
   */
  reconcile?: boolean;
  /**
   * The outcome bus (the EventBridge stand-in, docs/outcomes.md): its events' file, or false
   * for publishing off. Default on, into `.lifecycle/outcomes.ndjson` beside the stack file
   * (with `stackFile: false`, kept in memory only: `stack.outcomeBus.server.events`).
   */
  outcomes?: LocalOutcomesOption;
}
