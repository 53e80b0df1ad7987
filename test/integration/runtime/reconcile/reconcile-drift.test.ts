import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createLedgerTable } from "../../../../shared/runtime/ledger/create-ledger-table.ts";
import { DynamoDbLedger } from "../../../../shared/runtime/ledger/dynamodb-ledger.ts";
import { reconcileDrift } from "../../../../shared/runtime/reconcile/reconcile-drift.ts";
import { sendCorrectiveEvents } from "../../../../shared/runtime/reconcile/send-corrective-events.ts";
import type { ConsumerEnvironment, Scenario } from "../../../support/consumer-environment.ts";
import { useConsumerEnvironment } from "../../../support/consumer-suite.ts";
import { offboard, onboard } from "../../../support/lifecycle-events.ts";
import { giveKeys } from "../../../support/osis-keys.ts";
import { OSIS_TENANT_ID, seedPerson } from "../../../support/people.ts";

let environment: ConsumerEnvironment;
const scenario = useConsumerEnvironment({
  started: (started) => {
    environment = started;
  },
});

/** Reconciliation reads every person in the table, so each test has a table of its own. */
async function reconcileScenario() {
  const table = `reconcile-${randomUUID().slice(0, 8)}`;
  await createLedgerTable(environment.dynamodb, table);
  const s = await scenario({ LEDGER_TABLE: table });
  const ledger = new DynamoDbLedger({ client: environment.dynamodb, tableName: table });
  const reconcile = (subject?: string) =>
    reconcileDrift({
      ledger,
      accountPlatform: s.dependencies.accountPlatform,
      osis: s.dependencies.osis,
      concurrency: 4,
      ratePerSecond: 200,
      subject,
    });
  return { s, ledger, reconcile };
}

/** People whose newest applied event is an offboard, and one still employed. */
async function settledPeople(s: Scenario, tag: string) {
  const leaver = seedPerson(environment, `leaver-${tag}`);
  const stayer = seedPerson(environment, `stayer-${tag}`, { enabled: false });
  await s.send(offboard(leaver.subject, leaver.data));
  await s.send(onboard(stayer.subject, stayer.data));
  await s.drain();
  expect(leaver.accountEnabled()).toBe(false);
  expect(stayer.accountEnabled()).toBe(true);
  return { leaver, stayer };
}

describe("drift reconciliation", () => {
  it("an active S3 key of a leaver is drift, and --apply turns it off through the queue", async () => {
    const { s, reconcile } = await reconcileScenario();
    const leaver = seedPerson(environment, `keys-leaver-${randomUUID().slice(0, 6)}`);
    const keys = giveKeys(environment, leaver, 2);
    const [k1, k2] = keys.ids as [string, string];
    await s.send(offboard(leaver.subject, leaver.data));
    await s.drain();
    expect((await reconcile(leaver.subject)).drift).toEqual([]);

    // Someone switches a key of the leaver back on by hand.
    environment.osis.setCredentialActive(k2, true);
    const report = await reconcile(leaver.subject);
    expect(report.errors).toEqual([]);
    expect(report.drift).toEqual([
      {
        subject: leaver.subject,
        target: "osis",
        userId: `${OSIS_TENANT_ID}/${leaver.osisUser.user_id}`,
        wanted: "disabled",
        actual: "enabled",
        accessKey: k2,
      },
    ]);
    await sendCorrectiveEvents({
      sqs: environment.sqs,
      queueUrl: s.queueUrl,
      people: report.drifted,
    });
    await s.drain();
    expect(keys.active()).toEqual({ [k1]: false, [k2]: false });
    expect(s.outcomesOf(leaver.subject).at(-1)?.targetFacts?.osis?.s3Keys).toEqual({
      deactivated: [k1, k2],
    });
    expect((await reconcile(leaver.subject)).drift).toEqual([]);
  });

  it("a leaver whose offboard found no key is not listed (one backend creates a key when it lists none)", async () => {
    const { s, reconcile } = await reconcileScenario();
    const leaver = seedPerson(environment, `keyless-${randomUUID().slice(0, 6)}`);
    await s.send(offboard(leaver.subject, leaver.data));
    await s.drain();
    environment.osis.calls.clear();
    expect((await reconcile(leaver.subject)).drift).toEqual([]);
    expect(environment.osis.calls.count("listCredentials")).toBe(0);
  });

  it("keys a platform manages itself (501) are not drift: a correction could not change them", async () => {
    const { s, reconcile } = await reconcileScenario();
    const leaver = seedPerson(environment, `managed-${randomUUID().slice(0, 6)}`);
    const keys = giveKeys(environment, leaver, 1);
    environment.osis.switches.credentialStatusSupported = false;
    try {
      await s.send(offboard(leaver.subject, leaver.data));
      await s.drain();
    } finally {
      environment.osis.switches.credentialStatusSupported = true;
    }
    expect(Object.values(keys.active())).toEqual([true]);
    expect((await reconcile(leaver.subject)).drift).toEqual([]);
  });

  it("reports a hand re-enabled leaver, and --apply fixes it through the queue", async () => {
    const { s, ledger, reconcile } = await reconcileScenario();
    const { leaver } = await settledPeople(s, randomUUID().slice(0, 6));
    const before = await ledger.getPerson(leaver.subject);

    // Someone re-enables the terminated account by hand.
    environment.accountPlatform.setUser(leaver.accountUser.id, { enabled: true });
    const report = await reconcile();
    expect(report.errors).toEqual([]);
    expect(report.checked).toBe(2);
    expect(report.drift).toEqual([
      {
        subject: leaver.subject,
        target: "account-platform",
        userId: leaver.accountUser.id,
        wanted: "disabled",
        actual: "enabled",
      },
    ]);

    const sent = await sendCorrectiveEvents({
      sqs: environment.sqs,
      queueUrl: s.queueUrl,
      people: report.drifted,
    });
    expect(sent.sent).toHaveLength(1);
    expect(sent.failed).toEqual([]);
    // Nothing was written to a platform by reconciliation itself.
    expect(leaver.accountEnabled()).toBe(true);

    await s.drain();
    expect(leaver.accountEnabled()).toBe(false);
    expect(leaver.osisActive()).toBe(false);
    const after = await ledger.getPerson(leaver.subject);
    // The correction re-asserted the offboard without becoming the newest applied event.
    expect(after?.newestApplied).toEqual(before?.newestApplied);
    expect(after?.history[0]).toMatchObject({ outcome: "corrected", id: sent.sent[0]?.eventId });
    expect((await reconcile()).drift).toEqual([]);

    // A genuine rehire afterwards is applied, not judged stale by the correction.
    await s.send(onboard(leaver.subject, leaver.data));
    await s.drain();
    expect(leaver.accountEnabled()).toBe(true);
    expect(s.outcomesOf(leaver.subject).at(-1)?.outcome).toBe("applied");
  });

  it("finds nothing and sends nothing when the platforms agree with the ledger", async () => {
    const { s, reconcile } = await reconcileScenario();
    await settledPeople(s, randomUUID().slice(0, 6));
    const report = await reconcile();
    expect(report).toMatchObject({ checked: 2, drift: [], errors: [], drifted: [] });
    const sent = await sendCorrectiveEvents({
      sqs: environment.sqs,
      queueUrl: s.queueUrl,
      people: report.drifted,
    });
    expect(sent.sent).toEqual([]);
    expect(await s.queueDepth()).toBe(0);
  });

  it("reports a platform outage as errors, not drift", async () => {
    const { s, reconcile } = await reconcileScenario();
    const { leaver } = await settledPeople(s, randomUUID().slice(0, 6));
    environment.osis.setUser(OSIS_TENANT_ID, `osis-${leaver.subject}`, { active: true });
    environment.accountPlatform.faults.add({ operation: "*", status: 503, times: Infinity });

    const report = await reconcile();
    expect(report.errors.map((e) => [e.target, e.kind])).toEqual([
      ["account-platform", "unavailable"],
      ["account-platform", "unavailable"],
    ]);
    // OSIS still answered: its real drift is reported; the account platform's silence is not drift.
    expect(report.drift).toEqual([
      expect.objectContaining({ subject: leaver.subject, target: "osis", actual: "enabled" }),
    ]);
  });

  it("checks one person with a subject", async () => {
    const { s, reconcile } = await reconcileScenario();
    const { leaver, stayer } = await settledPeople(s, randomUUID().slice(0, 6));
    environment.accountPlatform.setUser(leaver.accountUser.id, { enabled: true });
    const report = await reconcile(stayer.subject);
    expect(report).toMatchObject({ checked: 1, drift: [] });
    expect((await reconcile("nobody-here")).checked).toBe(0);
  });
});
