import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { describe, expect, it } from "vitest";
import { listScheduledChanges } from "../../../../shared/operator/schedule/schedule-operations.ts";
import type { LifecycleEvent } from "../../../../shared/runtime/events/lifecycle-event.ts";
import { refOf } from "../../../../shared/runtime/ledger/person-ledger-rules.ts";
import { personKey } from "../../../../shared/runtime/ledger/person-record.ts";
import { type ConsumerEnvironment, LEDGER_TABLE } from "../../../support/consumer-environment.ts";
import { useConsumerEnvironment } from "../../../support/consumer-suite.ts";
import { offboard, onboard } from "../../../support/lifecycle-events.ts";
import { seedPerson } from "../../../support/people.ts";
import { schedulerRun } from "../../../support/scheduler-run.ts";

let environment: ConsumerEnvironment;
const scenario = useConsumerEnvironment({
  started: (started) => {
    environment = started;
  },
});

const HOUR = 3_600_000;

/** A person's item as it was written when a person had one `scheduled` slot, in the index. */
async function writeLegacySlot(event: LifecycleEvent, effectiveAt: number): Promise<void> {
  const item = {
    pk: personKey(event.subject),
    subject: event.subject,
    history: [],
    updatedAt: 0,
    scheduled: { ...refOf(event), effectiveAt, body: JSON.stringify(event), scheduledAt: 0 },
    scheduleState: "waiting",
    scheduleDueAt: effectiveAt,
  };
  await environment.dynamodb.send(
    new PutItemCommand({ TableName: LEDGER_TABLE, Item: marshall(item) }),
  );
}

describe("consumer: a ledger written when a person had one scheduled slot", () => {
  it("keeps the slot's change pending: it is listed, a rescind cancels it, and a due one fires", async () => {
    const clock = { now: Date.now() };
    const s = await scenario({}, { now: () => clock.now });
    const runScheduler = schedulerRun(environment, s.queueUrl, () => clock.now);
    const rescinded = seedPerson(environment, "legacy-rescinded");
    const leaver = seedPerson(environment, "legacy-leaver");
    await writeLegacySlot(offboard(rescinded.subject, rescinded.data), clock.now + HOUR);
    await writeLegacySlot(offboard(leaver.subject, leaver.data), clock.now + HOUR);
    const listed = await listScheduledChanges(environment.ledger);
    expect(listed.map((change) => change.subject).sort()).toEqual([
      leaver.subject,
      rescinded.subject,
    ]);

    await s.send(onboard(rescinded.subject, rescinded.data));
    await s.drain();
    expect((await environment.ledger.getPerson(rescinded.subject))?.pendingChanges).toEqual([]);

    clock.now += HOUR;
    expect((await runScheduler()).enqueued).toBe(1);
    await s.drain();
    expect(leaver.accountEnabled()).toBe(false);
    expect(rescinded.accountEnabled()).toBe(true);
    expect((await runScheduler()).enqueued).toBe(0);
    expect(await listScheduledChanges(environment.ledger)).toEqual([]);
  });
});
