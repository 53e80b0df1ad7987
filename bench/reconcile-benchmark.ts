import { BatchWriteItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { createReconcileHandler } from "../functions/reconcile/create-handler.ts";
import { createLambdaContext } from "../local/lambda/lambda-context.ts";
import { EPHEMERAL_PORTS } from "../local/local-ports.ts";
import { startLocalStack } from "../local/local-stack.ts";
import { DEMO_OSIS_TENANT_ID } from "../local/simulators/demo-users.ts";
import { LEDGER_PARTITION_KEY } from "../shared/contract/ledger-keys.ts";
import { CONTINUE_PASS_EVENT } from "../shared/contract/reconcile-continuation.ts";
import { LOCAL_AWS_CREDENTIALS } from "../shared/runtime/aws/aws-clients.ts";
import { StaticCredentialSource } from "../shared/runtime/credentials/static-credential-source.ts";
import { personKey } from "../shared/runtime/ledger/person-record.ts";
import { createLogger } from "../shared/runtime/logging/logger.ts";
import { noMetrics } from "../shared/runtime/metrics/metrics.ts";
import { loadReconcileConfig } from "../shared/runtime/reconcile/reconcile-config.ts";
import { createReconcileDependencies } from "../shared/runtime/reconcile/reconcile-dependencies.ts";

import type { ScheduledReconcileSummary } from "../shared/runtime/reconcile/scheduled-reconcile.ts";

export interface ReconcileResult {
  people: number;
  /** Calls per second each simulator accepts, and the reconciliation's own pace. */
  rateLimit: number;
  runSeconds: number;
  runs: number;
  checked: number;
  drifted: number;
  errors: number;
  passSeconds: number;
  accountCalls: number;
  osisCalls: number;
  refused429: number;
}

/**
 * One scheduled pass over `people` offboarded people (ledger items written directly, both
 * simulators seeded), the simulators refusing above `rateLimit` calls per second each and the
 * reconciliation paced at the same rate. Runs get `runSeconds` of work each (the deployed run:
 * up to 590 s), and run back to back as the continuation rule would carry them on, until the
 * pass is complete. A few people are re-enabled by hand, so drift is found on the way.
 */
export async function runReconcileBenchmark(options: {
  people: number;
  rateLimit: number;
  runSeconds: number;
}): Promise<ReconcileResult> {
  const stack = await startLocalStack({
    ports: EPHEMERAL_PORTS,
    stackFile: false,
    startPolling: false,
    scheduler: { start: false },
    env: {},
    logger: createLogger({ level: "error", format: "json" }),
  });
  const accountPlatform = stack.platforms.accountPlatform.simulator;
  const osis = stack.platforms.osis.simulator;
  if (accountPlatform === undefined || osis === undefined) {
    await stack.stop();
    throw new Error("the reconciliation benchmark needs both simulators");
  }
  const dependencies = createReconcileDependencies({
    config: loadReconcileConfig({
      ...stack.consumerEnvironment,
      RECONCILE_RATE_PER_SECOND: String(options.rateLimit),
      RECONCILE_CONCURRENCY: "8",
    }),
    credentials: {
      accountPlatform: new StaticCredentialSource(stack.platforms.accountPlatform.credentials),
      osis: new StaticCredentialSource(stack.platforms.osis.credentials),
    },
    aws: {
      region: stack.region,
      dynamodbEndpoint: stack.endpoints.dynamodb,
      credentials: LOCAL_AWS_CREDENTIALS,
    },
    logger: createLogger({ level: "error", format: "json" }),
    metrics: noMetrics,
  });
  try {
    const drifted = new Set([7, Math.floor(options.people / 2), options.people - 1]);
    const items: Record<string, unknown>[] = [];
    for (let index = 0; index < options.people; index += 1) {
      const subject = `bench-${index}`;
      const login = `bench-${index}@bench.example`;
      const account = accountPlatform.seedUser({
        login,
        tenant_id: stack.platforms.accountPlatform.tenantId,
        enabled: drifted.has(index),
      });
      osis.seedUser({
        tenant_id: DEMO_OSIS_TENANT_ID,
        cd_tenant_id: stack.platforms.osis.cdTenantId,
        cd_user_id: login,
        user_id: login,
        active: false,
      });
      items.push(offboardedItem(subject, account.id, login));
    }
    for (let start = 0; start < items.length; start += 25) {
      await stack.dynamodb.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [stack.ledgerTable]: items
              .slice(start, start + 25)
              .map((item) => ({ PutRequest: { Item: marshall(item) } })),
          },
        }),
      );
    }
    accountPlatform.faults.setRateLimit(options.rateLimit);
    osis.faults.setRateLimit(options.rateLimit);
    accountPlatform.calls.clear();
    osis.calls.clear();

    const handler = createReconcileHandler(dependencies);
    // The handler keeps 10 s of each run for itself, as deployed.
    const context = () =>
      createLambdaContext({
        functionName: "bench-reconcile",
        timeoutMs: options.runSeconds * 1000 + 10_000,
        region: stack.region,
      });
    const started = performance.now();
    let summary: ScheduledReconcileSummary = await handler(
      { "detail-type": "Scheduled Event", source: "aws.events", detail: {} } as never,
      context(),
    );
    while (summary.run !== "finished") {
      process.stdout.write(
        `  run ${summary.pass?.runs ?? "?"}: ${summary.pass?.checked ?? 0} checked\n`,
      );
      summary = await handler(CONTINUE_PASS_EVENT, context());
    }
    const passSeconds = (performance.now() - started) / 1000;
    const calls = [...accountPlatform.calls.all(), ...osis.calls.all()];
    const last = summary.lastPass;
    return {
      people: options.people,
      rateLimit: options.rateLimit,
      runSeconds: options.runSeconds,
      runs: last?.runs ?? 0,
      checked: last?.checked ?? 0,
      drifted: last?.drifted ?? 0,
      errors: last?.errors ?? 0,
      passSeconds,
      accountCalls: accountPlatform.calls.count(),
      osisCalls: osis.calls.count(),
      refused429: calls.filter((call) => call.status === 429).length,
    };
  } finally {
    dependencies.close();
    await stack.stop();
  }
}

/** A person's ledger item after an offboard both platforms applied. */
function offboardedItem(subject: string, accountUserId: string, osisUserId: string) {
  const at = Date.parse("2026-11-23T08:00:00Z");
  return {
    [LEDGER_PARTITION_KEY]: personKey(subject),
    subject,
    newestApplied: {
      source: "bench",
      id: `offboard-${subject}`,
      type: "user.offboarded",
      time: at,
      appliedAt: at,
    },
    desiredEnabled: false,
    resolved: {
      accountPlatform: { userId: accountUserId },
      osis: { tenantId: DEMO_OSIS_TENANT_ID, userId: osisUserId },
    },
    history: [],
    updatedAt: at,
  };
}
