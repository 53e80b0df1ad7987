import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ConsumerEnvironment,
  LEDGER_TABLE,
  startConsumerEnvironment,
} from "../../support/consumer-environment.ts";
import { OSIS_TENANT_ID, seedPerson } from "../../support/people.ts";
import { localStackDirectory } from "./cli-harness.ts";
import { runCli } from "./run-cli.ts";

/**
 * The whole operator loop against the real consumer (test/support), fauxqs, dynalite and the
 * platform simulators: the CLI acts through `.lifecycle/local.json`, as on a local stack.
 */
let environment: ConsumerEnvironment;
const directories: string[] = [];
beforeAll(async () => {
  environment = await startConsumerEnvironment();
});
afterAll(async () => {
  await environment.stop();
  await Promise.all(directories.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function setUp() {
  const scenario = await environment.scenario();
  const cwd = await localStackDirectory({
    sqsEndpoint: environment.sqsServer.endpoint,
    dynamodbEndpoint: environment.dynamoDbServer.endpoint,
    queueUrl: scenario.queueUrl,
    dlqUrl: scenario.dlqUrl,
    ledgerTable: LEDGER_TABLE,
  });
  directories.push(cwd);
  return { scenario, lifecycle: (argv: string[]) => runCli(cwd, argv) };
}

const naming = (subject: string) => [
  "--subject",
  subject,
  "--account-external-id",
  `ext-${subject}`,
  "--osis-tenant-id",
  OSIS_TENANT_ID,
  "--osis-user-id",
  `osis-${subject}`,
];

describe("the operator loop", () => {
  it("send → consume → DLQ → list → redrive → applied", async () => {
    const { scenario, lifecycle } = await setUp();
    // The person is not on the platforms yet: the offboard cannot be applied.
    const sent = await lifecycle(["send", "--type", "offboarded", ...naming("emp-100"), "--json"]);
    expect(sent.code).toBe(0);
    const [{ eventId }] = JSON.parse(sent.stdout) as [{ eventId: string }];
    await scenario.drain();

    const listed = await lifecycle(["dlq", "list", "--json"]);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({
        eventId,
        subject: "emp-100",
        reason: "not_found",
        target: "account-platform",
      }),
    ]);

    // The cause is fixed (the users are provisioned); the dead letter goes back.
    const person = seedPerson(environment, "emp-100");
    const redriven = await lifecycle(["dlq", "redrive", "--reason", "not_found"]);
    expect(redriven.code).toBe(0);
    expect(redriven.stderr).toContain("1 dead letter moved");
    await scenario.drain();

    expect(person.accountEnabled()).toBe(false);
    expect(person.osisActive()).toBe(false);
    expect(scenario.outcomesOf("emp-100").map((o) => o.outcome)).toEqual([
      "dead_lettered",
      "applied",
    ]);
    expect(JSON.parse((await lifecycle(["dlq", "list", "--json"])).stdout)).toEqual([]);

    const status = await lifecycle(["status", "emp-100"]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`(event ${eventId} from urn:lifecycle:cli)`);
    expect(status.stdout).toMatch(/applied\s+user\.offboarded/);
    expect(status.stdout).toMatch(/dead_lettered\s+user\.offboarded.*not_found/);
  });

  it("skips a dead letter a newer applied event superseded; forced, the consumer still refuses it", async () => {
    const { scenario, lifecycle } = await setUp();
    const offboard = await lifecycle([
      "send",
      "--type",
      "offboarded",
      "--time",
      "2026-11-23T09:00:00Z",
      ...naming("emp-101"),
    ]);
    expect(offboard.code).toBe(0);
    await scenario.drain();
    // Rehired before anyone looked at the DLQ: the onboard is applied.
    const person = seedPerson(environment, "emp-101", { enabled: false });
    await lifecycle([
      "send",
      "--type",
      "onboarded",
      "--time",
      "2026-11-23T10:00:00Z",
      ...naming("emp-101"),
    ]);
    await scenario.drain();
    expect(person.accountEnabled()).toBe(true);

    const skipped = await lifecycle(["dlq", "redrive", "--all"]);
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toContain("0 dead letters moved; 1 skipped as stale");
    expect(await scenario.queueDepth()).toBe(0);

    const forced = await lifecycle(["dlq", "redrive", "--all", "--include-stale"]);
    expect(forced.code).toBe(0);
    await scenario.drain();
    expect(scenario.outcomesOf("emp-101").at(-1)?.outcome).toBe("stale");
    expect(person.accountEnabled()).toBe(true);
  });
});
