import { randomUUID } from "node:crypto";
import type { ScheduledEvent } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createReconcileHandler } from "../../../../functions/reconcile/create-handler.ts";
import { LOCAL_AWS_CREDENTIALS } from "../../../../shared/runtime/aws/aws-clients.ts";
import type { OsisCredentials } from "../../../../shared/runtime/credentials/secret-shapes.ts";
import { StaticCredentialSource } from "../../../../shared/runtime/credentials/static-credential-source.ts";
import { createLedgerTable } from "../../../../shared/runtime/ledger/create-ledger-table.ts";
import { createEmfMetrics } from "../../../../shared/runtime/metrics/metrics.ts";
import { loadReconcileConfig } from "../../../../shared/runtime/reconcile/reconcile-config.ts";
import {
  createReconcileDependencies,
  type ReconcileDependencies,
} from "../../../../shared/runtime/reconcile/reconcile-dependencies.ts";
import { captureLogs } from "../../../support/captured-logs.ts";
import {
  type ConsumerEnvironment,
  type Scenario,
  startConsumerEnvironment,
} from "../../../support/consumer-environment.ts";
import { lambdaContext } from "../../../support/lambda.ts";
import { offboard } from "../../../support/lifecycle-events.ts";
import { seedPerson } from "../../../support/people.ts";

let environment: ConsumerEnvironment;
const closers: (() => void)[] = [];

beforeAll(async () => {
  environment = await startConsumerEnvironment();
});

afterEach(() => {
  environment.accountPlatform.faults.clear();
  for (const close of closers.splice(0)) close();
});

afterAll(async () => {
  await environment.stop();
});

const scheduled = { "detail-type": "Scheduled Event", source: "aws.events" } as ScheduledEvent;

async function scheduledFunction(extraEnv: Record<string, string> = {}) {
  const table = `reconcile-fn-${randomUUID().slice(0, 8)}`;
  await createLedgerTable(environment.dynamodb, table);
  const s: Scenario = await environment.scenario({ env: { LEDGER_TABLE: table } });
  closers.push(() => s.close());
  const logs = captureLogs();
  const metricLines: string[] = [];
  const config = loadReconcileConfig({
    LEDGER_TABLE: table,
    QUEUE_URL: s.queueUrl,
    ACCOUNT_PLATFORM_URL: environment.accountPlatform.url,
    OSIS_URL: environment.osis.url,
    OSIS_BASE_PATH: environment.osis.basePath,
    RECONCILE_PLATFORM_TIMEOUT_MS: "1000",
    ...extraEnv,
  });
  const dependencies: ReconcileDependencies = createReconcileDependencies({
    config,
    credentials: {
      accountPlatform: new StaticCredentialSource(environment.accountPlatformCredentials),
      osis: new StaticCredentialSource<OsisCredentials>(environment.osisCredentials),
    },
    aws: {
      sqsEndpoint: environment.sqsServer.endpoint,
      dynamodbEndpoint: environment.dynamoDbServer.endpoint,
      credentials: LOCAL_AWS_CREDENTIALS,
    },
    logger: logs.logger,
    metrics: createEmfMetrics({ service: "reconcile", sink: (line) => metricLines.push(line) }),
  });
  closers.push(() => dependencies.close());
  const metric = (name: string) =>
    metricLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => name in line);
  return { s, logs, metric, handler: createReconcileHandler(dependencies) };
}

describe("scheduled reconciliation", () => {
  it("reports drift in report mode: a log line per drifted person and the DriftedPeople metric", async () => {
    const { s, logs, metric, handler } = await scheduledFunction();
    const leaver = seedPerson(environment, `fn-leaver-${randomUUID().slice(0, 6)}`);
    await s.send(offboard(leaver.subject, leaver.data));
    await s.drain();
    environment.accountPlatform.setUser(leaver.accountUser.id, { enabled: true });

    const summary = await handler(scheduled, lambdaContext(60_000));
    expect(summary).toMatchObject({ checked: 1, driftedPeople: 1, correctiveEventsSent: 0 });
    const drift = logs
      .records()
      .filter((r) => r.message === "Drift: a platform differs from the ledger");
    expect(drift).toEqual([
      expect.objectContaining({ subject: leaver.subject, target: "account-platform" }),
    ]);
    expect(metric("DriftedPeople")).toEqual([
      expect.objectContaining({ service: "reconcile", DriftedPeople: 1 }),
    ]);
    expect(metric("DriftedPeople")[0]?._aws).toMatchObject({
      CloudWatchMetrics: [{ Namespace: "HrLifecycleSync", Dimensions: [["service"]] }],
    });
    // Report mode: nothing enqueued, the account stays as it was found.
    expect(await s.queueDepth()).toBe(0);
    expect(leaver.accountEnabled()).toBe(true);
  });

  it("emits DriftedPeople 0 and counts failed reads separately during an outage", async () => {
    const { s, metric, handler } = await scheduledFunction();
    const leaver = seedPerson(environment, `fn-outage-${randomUUID().slice(0, 6)}`);
    await s.send(offboard(leaver.subject, leaver.data));
    await s.drain();
    environment.accountPlatform.faults.add({ operation: "*", status: 503, times: Infinity });
    const summary = await handler(scheduled, lambdaContext(60_000));
    expect(summary).toMatchObject({ driftedPeople: 0, errors: 1 });
    expect(metric("DriftedPeople")).toEqual([expect.objectContaining({ DriftedPeople: 0 })]);
    expect(metric("ReconcileErrors")).toEqual([expect.objectContaining({ ReconcileErrors: 1 })]);
  });

  it("enqueues corrective events only when configured to apply", async () => {
    const { s, handler } = await scheduledFunction({ RECONCILE_APPLY: "true" });
    const leaver = seedPerson(environment, `fn-apply-${randomUUID().slice(0, 6)}`);
    await s.send(offboard(leaver.subject, leaver.data));
    await s.drain();
    environment.osis.setUser(leaver.osisUser.tenant_id, `osis-${leaver.subject}`, { active: true });
    const summary = await handler(scheduled, lambdaContext(60_000));
    expect(summary).toMatchObject({ driftedPeople: 1, correctiveEventsSent: 1 });
    await s.drain();
    expect(leaver.osisActive()).toBe(false);
  });
});

describe("reconciliation passes", () => {
  const cont = { lifecycle: "continue" } as const;

  async function offboarded(s: Scenario, count: number) {
    const people = Array.from({ length: count }, (_, index) =>
      seedPerson(environment, `pass-${index}-${randomUUID().slice(0, 6)}`),
    );
    for (const person of people) await s.send(offboard(person.subject, person.data));
    await s.drain();
    return people;
  }

  it("carries an unfinished pass on in the next runs until everyone is checked, then records it", async () => {
    const { s, metric, handler } = await scheduledFunction({
      RECONCILE_PAGE_SIZE: "2",
      RECONCILE_MAX_PAGES_PER_RUN: "1",
    });
    const people = await offboarded(s, 5);
    environment.accountPlatform.setUser(people[4]?.accountUser.id ?? "", { enabled: true });

    const first = await handler(scheduled, lambdaContext(60_000));
    expect(first).toMatchObject({ run: "started", pass: { runs: 1 } });
    expect(first.pass?.cursor).toBeDefined();
    const runs = [first];
    for (let run = 0; run < 20 && runs.at(-1)?.run !== "finished"; run += 1) {
      runs.push(await handler(cont, lambdaContext(60_000)));
    }
    const finished = runs.at(-1);
    expect(finished?.run).toBe("finished");
    expect(runs.slice(1, -1).every((r) => r.run === "continued")).toBe(true);
    // Every person checked exactly once across the runs, the drifted one among them.
    expect(runs.reduce((sum, r) => sum + r.checked, 0)).toBe(5);
    expect(finished?.pass).toBeUndefined();
    expect(finished?.lastPass).toMatchObject({ checked: 5, drifted: 1, runs: runs.length });
    expect(finished?.lastPass?.durationMs).toBeGreaterThanOrEqual(0);

    // The pass is complete: a continuation has nothing to do, the next schedule starts afresh.
    expect(await handler(cont, lambdaContext(60_000))).toMatchObject({ run: "idle" });
    const ages = metric("ReconcilePassAge").map((line) => line.ReconcilePassAge as number);
    expect(ages.at(-1)).toBeLessThan(60);
    expect(await handler(scheduled, lambdaContext(60_000))).toMatchObject({ run: "started" });
  });

  it("walks a page again when the deadline cut it short, so nobody is skipped", async () => {
    const { s, handler } = await scheduledFunction({ RECONCILE_PAGE_SIZE: "100" });
    await offboarded(s, 3);
    // Slower answers than the run has time for: the deadline falls inside the first page.
    environment.accountPlatform.faults.add({ operation: "getUser", latencyMs: 1_500, times: 3 });
    // 11 s left: the run keeps 10 s for itself, so its reads stop after 1 s.
    const cut = await handler(scheduled, lambdaContext(11_000));
    expect(cut).toMatchObject({ run: "started", checked: 0 });
    expect(cut.pass?.cursor).toBeUndefined();
    const next = await handler(cont, lambdaContext(60_000));
    expect(next).toMatchObject({ run: "finished", lastPass: { checked: 3, runs: 2 } });
  });

  it("reads OSIS users in pages of the tenant, not once per person", async () => {
    const { s, handler } = await scheduledFunction();
    await offboarded(s, 6);
    environment.osis.calls.clear();
    environment.accountPlatform.calls.clear();
    const summary = await handler(scheduled, lambdaContext(60_000));
    expect(summary).toMatchObject({ run: "finished", checked: 6, driftedPeople: 0 });
    expect(environment.osis.calls.count("getUser")).toBe(0);
    expect(environment.osis.calls.count("listUsers")).toBeGreaterThanOrEqual(1);
    expect(environment.accountPlatform.calls.count("getUser")).toBe(6);
  });
});
