import { createReconcileHandler } from "../functions/reconcile/create-handler.ts";
import { CONTINUE_PASS_EVENT } from "../shared/contract/reconcile-continuation.ts";
import type { AwsEndpoints } from "../shared/runtime/aws/aws-clients.ts";
import type { PlatformCredentialSources } from "../shared/runtime/credentials/platform-credential-sources.ts";
import type { Logger } from "../shared/runtime/logging/logger.ts";
import type { Metrics } from "../shared/runtime/metrics/metrics.ts";
import { loadReconcileConfig } from "../shared/runtime/reconcile/reconcile-config.ts";
import { createReconcileDependencies } from "../shared/runtime/reconcile/reconcile-dependencies.ts";

import { IntervalScheduler, type ScheduledHandler } from "./interval-scheduler.ts";

/**
 * The deployed scheduled reconciliation, on the local stack's clock: a pass starts at once and
 * every two minutes (the deployed schedule: daily), and is carried on every 20 seconds
 * (deployed: every 15 minutes). A run reads one page of two ledger items unless
 * RECONCILE_PAGE_SIZE and RECONCILE_MAX_PAGES_PER_RUN say otherwise, so that even the demo's
 * few people make a pass of several runs, which `lifecycle reconcile status` shows. Report
 * mode: it sends nothing.
 */
export const LOCAL_RECONCILE = {
  startEveryMs: 2 * 60_000,
  continueEveryMs: 20_000,
  functionTimeoutMs: 60_000,
  pageSize: "2",
  maxPagesPerRun: "1",
} as const;

export interface LocalReconcile {
  start(): void;
  stop(): Promise<void>;
}

export function createLocalReconcile(options: {
  env: Readonly<Record<string, string | undefined>>;
  wiring: Readonly<Record<string, string>>;
  credentials: PlatformCredentialSources;
  aws: AwsEndpoints;
  region: string;
  logger: Logger;
  metrics: Metrics;
}): LocalReconcile {
  const config = loadReconcileConfig({
    RECONCILE_PAGE_SIZE: LOCAL_RECONCILE.pageSize,
    RECONCILE_MAX_PAGES_PER_RUN: LOCAL_RECONCILE.maxPagesPerRun,
    ...options.env,
    ...options.wiring,
    RECONCILE_APPLY: "false",
  });
  const dependencies = createReconcileDependencies({
    config,
    credentials: options.credentials,
    aws: options.aws,
    logger: options.logger,
    metrics: options.metrics,
  });
  const handler = createReconcileHandler(dependencies);
  const every = (intervalMs: number, run: ScheduledHandler) =>
    new IntervalScheduler({
      handler: run,
      intervalMs,
      region: options.region,
      logger: options.logger,
      functionTimeoutMs: LOCAL_RECONCILE.functionTimeoutMs,
      functionName: "lifecycle-reconcile",
    });
  const starts = every(LOCAL_RECONCILE.startEveryMs, (event, context) => handler(event, context));
  const continuations = every(LOCAL_RECONCILE.continueEveryMs, (_event, context) =>
    handler(CONTINUE_PASS_EVENT, context),
  );
  return {
    start: () => {
      starts.start();
      continuations.start();
    },
    stop: async () => {
      await Promise.all([starts.stop(), continuations.stop()]);
      dependencies.close();
    },
  };
}
