import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { afterEach, describe, expect, it } from "vitest";
import { type ConsumerEnvironment, LEDGER_TABLE } from "../../../support/consumer-environment.ts";
import { useConsumerEnvironment } from "../../../support/consumer-suite.ts";
import { offboard, onboard } from "../../../support/lifecycle-events.ts";
import { giveKeys, type PersonKeys } from "../../../support/osis-keys.ts";
import { seedPerson } from "../../../support/people.ts";
import { expectNoSecretIn } from "../platforms/helpers.ts";

/**
 * A secret key is in every answer that lists or updates a credential, and in the body the
 * product sends back. It must reach no log line, ledger item, dead letter, outcome or error,
 * whatever way the event ends: applied, retried, dead-lettered, or planned by a dry run.
 */
let environment: ConsumerEnvironment;
const scenario = useConsumerEnvironment({
  started: (started) => {
    environment = started;
  },
});
afterEach(() => {
  environment.osis.switches.credentialStatusSupported = true;
});

/** A platform error that repeats the secret key, as a careless backend might. */
function echoing(keys: PersonKeys, status: number) {
  return {
    operation: "updateCredentialStatus",
    status,
    body: JSON.stringify({
      code: "E_BAD_REQUEST",
      message: `credential ${keys.ids[0]} secret ${keys.secrets[0]} refused`,
    }),
  };
}

async function everythingWritten(s: Awaited<ReturnType<typeof scenario>>): Promise<string[]> {
  const ledger = await environment.dynamodb.send(new ScanCommand({ TableName: LEDGER_TABLE }));
  const letters = await s.takeDeadLetters();
  return [
    ...s.logs.lines,
    ...s.outcomes.map((outcome) => JSON.stringify(outcome)),
    ...(ledger.Items ?? []).map((item) => JSON.stringify(item)),
    ...letters.map((letter) => JSON.stringify(letter)),
  ];
}

describe("an OSIS secret key is never copied anywhere", () => {
  it("applied, retried and dead-lettered: no log line, outcome, ledger item or dead letter holds one", async () => {
    const s = await scenario();
    const applied = seedPerson(environment, "secret-applied");
    const retried = seedPerson(environment, "secret-retried");
    const dead = seedPerson(environment, "secret-dead");
    const keys = {
      applied: giveKeys(environment, applied, 2),
      retried: giveKeys(environment, retried, 1),
      dead: giveKeys(environment, dead, 1),
    };

    await s.send(offboard(applied.subject, applied.data));
    await s.drain();
    environment.osis.faults.add(echoing(keys.retried, 503));
    await s.send(offboard(retried.subject, retried.data));
    await s.drain();
    environment.osis.faults.add(echoing(keys.dead, 400));
    await s.send(offboard(dead.subject, dead.data));
    await s.drain();
    await s.send(onboard(applied.subject, applied.data));
    await s.drain();

    expect(s.outcomes.map((o) => [o.subject, o.outcome])).toEqual([
      [applied.subject, "applied"],
      [retried.subject, "retried"],
      [retried.subject, "applied"],
      [dead.subject, "dead_lettered"],
      [applied.subject, "applied"],
    ]);
    const written = await everythingWritten(s);
    // The failures were logged, and their detail kept: the test looks where the secret would be.
    expect(written.some((text) => text.includes("[redacted]"))).toBe(true);
    expectNoSecretIn(written, [
      ...keys.applied.secrets,
      ...keys.retried.secrets,
      ...keys.dead.secrets,
    ]);
  });

  it("a dry run plans without listing a key, and its dead letter holds no secret", async () => {
    const s = await scenario({ DRY_RUN: "true" });
    const person = seedPerson(environment, "secret-dry-run");
    const keys = giveKeys(environment, person, 2);
    await s.send(offboard(person.subject, person.data));
    await s.drain();
    expect(environment.osis.calls.count("listCredentials")).toBe(0);
    expect(Object.values(keys.active())).toEqual([true, true]);
    const written = await everythingWritten(s);
    expect(written.some((text) => text.includes("would check its S3 keys"))).toBe(true);
    expectNoSecretIn(written, keys.secrets);
  });
});
