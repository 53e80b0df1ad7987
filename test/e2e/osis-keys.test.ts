import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describePerson } from "../../cli/commands/status.ts";
import type { LocalStack } from "../../local/running-local-stack.ts";
import {
  DEMO_OSIS_TENANT_ID,
  DEMO_PEOPLE,
  type DemoPerson,
} from "../../local/simulators/demo-users.ts";
import type { OsisSimulator } from "../../local/simulators/osis/osis-simulator.ts";
import { checkedDetails } from "../support/outcome-schema.ts";
import { enqueue, event, startTestStack, stateOf, type TestStack } from "./local-stack-harness.ts";

/**
 * Issue 28's "done when", on the local stack: an offboard leaves a demo person's OSIS S3 keys
 * inactive, a rehire turns on only those the offboard turned off, whatever the platform does
 * with keys when it changes the user, and a platform without updateCredentialStatus (501)
 * leaves the offboard `applied` with the keys platform-managed.
 */
let running: TestStack;
let stack: LocalStack;
let osis: OsisSimulator;

beforeAll(async () => {
  running = await startTestStack();
  stack = running.stack;
  const simulator = stack.platforms.osis.simulator;
  if (simulator === undefined) throw new Error("the local stack runs the OSIS simulator");
  osis = simulator;
});
afterAll(() => stack?.stop());

const demo = (login: string): DemoPerson => {
  const found = DEMO_PEOPLE.find((person) => person.login === login);
  if (found === undefined) throw new Error(`no demo person ${login}`);
  return found;
};

const keysOf = (person: DemoPerson) =>
  Object.fromEntries(
    osis.credentials(DEMO_OSIS_TENANT_ID, person.login).map((key) => [key.access_key, key.active]),
  );

let clock = Date.now() - 60_000;
/** An offboard or rehire of a demo person through the queue, applied before it returns. */
async function change(type: "user.offboarded" | "user.onboarded", person: DemoPerson) {
  clock += 1_000;
  const sent = event(
    type,
    person.employeeId,
    { accountPlatform: { login: person.login }, osis: { cdUserId: person.login } },
    new Date(clock).toISOString(),
  );
  await enqueue(stack, sent);
  await stack.waitUntilDrained({ timeoutMs: 20_000 });
  return running.outcomes.filter((outcome) => outcome.eventId === sent.id).at(-1);
}

describe("OSIS S3 keys on the local stack", () => {
  it("jdoe's offboard turns both keys off, the rehire both on, and lifecycle status shows them", async () => {
    const jdoe = demo("jdoe");
    const [k1, k2] = jdoe.s3AccessKeys;
    expect(keysOf(jdoe)).toEqual({ [k1 ?? ""]: true, [k2 ?? ""]: true });

    const offboarded = await change("user.offboarded", jdoe);
    expect(offboarded).toMatchObject({
      outcome: "applied",
      targetFacts: { osis: { s3Keys: { deactivated: [k1, k2] } } },
    });
    expect(stateOf(stack, jdoe)).toEqual({ enabled: false, active: false });
    expect(keysOf(jdoe)).toEqual({ [k1 ?? ""]: false, [k2 ?? ""]: false });
    // The outcome event says the same under the osis target, in the published schema.
    const published = checkedDetails(stack.outcomeBus?.server.events ?? []).filter(
      (detail) => detail.event.id === offboarded?.eventId,
    );
    expect(published).toMatchObject([
      {
        outcome: "applied",
        targets: expect.arrayContaining([
          { target: "osis", result: "changed", s3Keys: { deactivated: [k1, k2] } },
        ]),
      },
    ]);
    const record = await stack.ledger.getPerson(jdoe.employeeId);
    expect(describePerson(record ?? expect.fail("no ledger record"), Date.now())).toContain(
      `  OSIS S3 keys:     offboard turned off ${k1}, ${k2}; already off none (checked ${new Date(record?.osisKeys?.at ?? 0).toISOString().slice(0, 19)}Z)`,
    );

    const rehired = await change("user.onboarded", jdoe);
    expect(rehired).toMatchObject({
      outcome: "applied",
      targetFacts: { osis: { s3Keys: { reactivated: [k1, k2] } } },
    });
    expect(stateOf(stack, jdoe)).toEqual({ enabled: true, active: true });
    expect(keysOf(jdoe)).toEqual({ [k1 ?? ""]: true, [k2 ?? ""]: true });
  });

  it.each([
    ["asmith", false],
    ["bchen", true],
  ])(
    "%s: a key switched off by hand before the offboard stays off after the rehire (keys follow the user: %s)",
    async (login, follow) => {
      const person = demo(login);
      const ids = [1, 2].map((n) => `AK${login.toUpperCase()}${n}`);
      for (const accessKey of ids) {
        osis.seedCredential({
          tenant_id: DEMO_OSIS_TENANT_ID,
          user_id: login,
          access_key: accessKey,
        });
      }
      const [kept, handOff] = ids as [string, string];
      osis.setCredentialActive(handOff, false);
      osis.switches.keysFollowUser = follow;
      try {
        await change("user.offboarded", person);
        expect(keysOf(person)).toEqual({ [kept]: false, [handOff]: false });
        await change("user.onboarded", person);
        expect(stateOf(stack, person).active).toBe(true);
        expect(keysOf(person)).toEqual({ [kept]: true, [handOff]: false });
      } finally {
        osis.switches.keysFollowUser = false;
      }
    },
  );

  it("with updateCredentialStatus answering 501 the offboard is applied, the keys platform-managed", async () => {
    const jdoe2 = demo("jdoe2");
    osis.seedCredential({
      tenant_id: DEMO_OSIS_TENANT_ID,
      user_id: "jdoe2",
      access_key: "AKJDOE2A",
    });
    osis.switches.credentialStatusSupported = false;
    try {
      const offboarded = await change("user.offboarded", jdoe2);
      expect(offboarded).toMatchObject({
        outcome: "applied",
        targetFacts: { osis: { s3Keys: { platformManaged: true } } },
      });
      expect(stateOf(stack, jdoe2)).toEqual({ enabled: false, active: false });
    } finally {
      osis.switches.credentialStatusSupported = true;
    }
  });
});
