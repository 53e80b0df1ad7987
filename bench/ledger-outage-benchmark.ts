import { setTimeout as sleep } from "node:timers/promises";
import { createConsumerHandler } from "../functions/consumer/create-handler.ts";
import type { OutageMode } from "../local/simulators/common/fault-injector.ts";
import { queueDepth } from "../shared/operator/queues/queue-depth.ts";
import type { RecordOutcome } from "../shared/runtime/consumer/outcome.ts";
import { benchPoller, consumerDependencies, enqueue, OSIS_TENANT_ID } from "./drain-benchmark.ts";
import { RemoteStack } from "./remote-stack.ts";
import { table } from "./report.ts";
import { massOffboarding } from "./workload.ts";

export interface LedgerOutageSettings {
  mode: OutageMode;
  /** How long the ledger is down. */
  outageMs: number;
  /** Offboards that arrive, spread over the first half of the outage. */
  offboards: number;
  latencyMs: number;
  concurrency: number;
}

export interface LedgerOutageResult extends LedgerOutageSettings {
  deadLettered: number;
  /** Records released to wait for the ledger (no attempt counted). */
  waits: number;
  /** Platform calls while the ledger was down (none is made without it). */
  platformCallsDuringOutage: number;
  applied: number;
  /** From the end of the outage until the last offboard was applied. */
  lastAppliedAfterRecoveryMs: number;
}

/**
 * Issue 24's ledger outage at full size, with the consumer's default settings (waiting records
 * back every 30 s): the DynamoDB endpoint is put down by its outage control, exactly as an
 * operator would (`PUT /__simulator/outage`), while offboards arrive.
 */
export async function runLedgerOutage(settings: LedgerOutageSettings): Promise<LedgerOutageResult> {
  const appliedAt: number[] = [];
  const outcomes: RecordOutcome[] = [];
  const stack = await RemoteStack.start();
  const { file } = stack;
  const sqs = stack.sqsClient();
  const dependencies = consumerDependencies(file, {}, (outcome) => {
    outcomes.push(outcome);
    if (outcome.outcome === "applied") appliedAt.push(Date.now());
  });
  const handler = createConsumerHandler(dependencies);
  const { poller, drained } = benchPoller(sqs, file, handler, settings.concurrency);
  const workload = massOffboarding(settings.offboards);
  const outage = (method: "PUT" | "DELETE") =>
    fetch(`${file.dynamodbEndpoint}/__simulator/outage`, {
      method,
      ...(method === "PUT" ? { body: JSON.stringify({ mode: settings.mode }) } : {}),
    });
  try {
    const accountIds = await stack.seed(workload.people, OSIS_TENANT_ID);
    const idOf = new Map(workload.people.map((subject, index) => [subject, accountIds[index]]));
    await stack.configure(settings.latencyMs, undefined);
    await stack.clearCalls();
    await outage("PUT");
    const started = Date.now();
    poller.start();
    for (const event of workload.events) {
      await enqueue(sqs, file.queueUrl, { ...workload, events: [event] }, idOf, new Map());
      await sleep(settings.outageMs / 2 / workload.events.length);
    }
    await sleep(Math.max(0, settings.outageMs - (Date.now() - started)));
    const calls = await stack.calls();
    await outage("DELETE");
    const ended = Date.now();
    await drained();
    return {
      ...settings,
      deadLettered: (await queueDepth(sqs, file.dlqUrl)).total,
      waits: outcomes.filter((o) => o.cause === "ledger_unavailable").length,
      platformCallsDuringOutage: calls.accountPlatform.answered + calls.osis.answered,
      applied: appliedAt.length,
      lastAppliedAfterRecoveryMs: Math.max(0, ...appliedAt) - ended,
    };
  } finally {
    await poller.stop();
    dependencies.close();
    sqs.destroy();
    await stack.stop();
  }
}

export function printLedgerOutage(results: readonly LedgerOutageResult[]): void {
  console.log("\nLedger outage (the DynamoDB endpoint down), default consumer settings");
  console.log(
    table([
      [
        "mode",
        "outage",
        "offboards arriving",
        "invocations at once",
        "dead letters",
        "platform calls while down",
        "waits (no attempt)",
        "applied",
        "last applied after recovery",
      ],
      ...results.map((r) => [
        r.mode,
        `${(r.outageMs / 1000).toFixed(0)} s`,
        String(r.offboards),
        String(r.concurrency),
        String(r.deadLettered),
        String(r.platformCallsDuringOutage),
        String(r.waits),
        String(r.applied),
        `${(r.lastAppliedAfterRecoveryMs / 1000).toFixed(1)} s`,
      ]),
    ]),
  );
}
