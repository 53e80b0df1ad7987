import { LOCAL_STACK_FILE } from "../shared/operator/configuration/local-stack-file.ts";
import { createLogger, defaultLogFormat } from "../shared/runtime/logging/logger.ts";
import { POLLER_DEFAULTS } from "./event-source-poller-options.ts";
import { createLocalAwsClients, LOCAL_REGION } from "./local-aws.ts";
import { createLocalFunctions } from "./local-functions.ts";
import { DEFAULT_LOCAL_PORTS, LOCAL_HOST } from "./local-ports.ts";
import { createQueuesAndLedger, LOCAL_LEDGER_TABLE } from "./local-queues-and-ledger.ts";
import type { LocalStackOptions } from "./local-stack-options.ts";
import { startLocalStandIns } from "./local-stand-ins.ts";
import { startLocalWebhook } from "./local-webhook.ts";
import { loadLocalConsumerConfig, localWiring } from "./local-wiring.ts";
import { listenOn } from "./port-unavailable-error.ts";
import { LocalStack } from "./running-local-stack.ts";

/**
 * The whole pipeline in one process, on loopback: fauxqs (the FIFO queue and its DLQ),
 * dynalite (the ledger), the two platform simulators (or the real platforms), the webhook
 * function behind an HTTP adapter, and the consumer handler fed by an event-source poller.
 * The handlers are the deployed ones; only endpoints and the credential source differ.
 * `npm start` runs it through local/main.ts; tests and benchmarks embed it with
 * `startLocalStack({ ports: EPHEMERAL_PORTS, stackFile: false, env: {} })`.
 *
 * The stack's stop ends the scheduler, then the poller (running invocations get the stop
 * grace), then every part below in reverse start order (running-local-stack.ts).
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const env = options.env ?? process.env;
  const ports = { ...DEFAULT_LOCAL_PORTS, ...options.ports };
  const logger = options.logger ?? createLogger({ format: defaultLogFormat() });
  const functionTimeoutMs =
    options.consumer?.functionTimeoutMs ?? POLLER_DEFAULTS.functionTimeoutMs;

  // Each part registers how it stops as soon as it runs; the stack's stop, or a failed start,
  // stops them all in reverse order.
  const teardown = new AsyncDisposableStack();
  try {
    const standIns = await startLocalStandIns(options, env, ports, teardown);
    const { sqs, dynamodb } = createLocalAwsClients(
      { sqs: standIns.sqsServer.endpoint, dynamodb: standIns.dynamoDbServer.endpoint },
      teardown,
    );
    const queues = await createQueuesAndLedger({ sqs, dynamodb }, functionTimeoutMs);
    const wiring = localWiring(queues, standIns);
    const config = loadLocalConsumerConfig(env, wiring, functionTimeoutMs);
    const functions = createLocalFunctions(
      options,
      { env, queueUrl: queues.queueUrl, wiring, config, standIns, sqs, logger },
      teardown,
    );
    const webhook = await listenOn("webhook", ports.webhook, () =>
      startLocalWebhook({
        port: ports.webhook,
        host: LOCAL_HOST,
        region: LOCAL_REGION,
        queueUrl: queues.queueUrl,
        sqsEndpoint: standIns.sqsServer.endpoint,
        dynamodbEndpoint: standIns.dynamoDbServer.endpoint,
        ledgerTable: LOCAL_LEDGER_TABLE,
        bamboohr: standIns.bamboohr,
        logger: logger.child({ service: "webhook" }),
        env,
        metrics: options.metrics,
        proxies: [functions.scim.proxy],
      }),
    );
    teardown.adopt(webhook, () => webhook.stop());

    const stack = new LocalStack({
      options,
      logger,
      functionTimeoutMs,
      ...standIns,
      webhook,
      scimToken: functions.scim.token,
      sqs,
      dynamodb,
      queues,
      wiring,
      config,
      consumer: functions.consumer,
      scheduler: functions.scheduler,
      teardown,
    });
    if (options.stackFile !== false) {
      await stack.writeStackFile(options.stackFile ?? LOCAL_STACK_FILE);
    }
    if (options.startPolling ?? true) stack.startPolling();
    if (options.scheduler?.start ?? true) stack.scheduler.start();
    if (options.reconcile === true) functions.reconcile.start();
    return stack;
  } catch (error) {
    // The start's own failure is the one to report, not a part that would not stop.
    await teardown.disposeAsync().catch(() => {});
    throw error;
  }
}
