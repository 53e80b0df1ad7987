import { afterEach, describe, expect, it } from "vitest";
import type { ConsumerEnvironment } from "../../../support/consumer-environment.ts";
import { useConsumerEnvironment } from "../../../support/consumer-suite.ts";
import { offboard, onboard } from "../../../support/lifecycle-events.ts";
import { giveKeys } from "../../../support/osis-keys.ts";
import { seedPerson } from "../../../support/people.ts";

let environment: ConsumerEnvironment;
const scenario = useConsumerEnvironment({
  started: (started) => {
    environment = started;
  },
});
afterEach(() => {
  environment.osis.switches.keysFollowUser = false;
  environment.osis.switches.credentialStatusSupported = true;
});

describe("consumer: an offboard turns the person's OSIS S3 keys off, a rehire back on", () => {
  it("deactivates both keys after the user, records them, and the rehire turns both on again", async () => {
    const s = await scenario();
    const person = seedPerson(environment, "keys-both");
    const keys = giveKeys(environment, person, 2);
    const [k1, k2] = keys.ids;

    await s.send(offboard(person.subject, person.data));
    await s.drain();
    expect(person.osisActive()).toBe(false);
    expect(keys.active()).toEqual({ [k1 ?? ""]: false, [k2 ?? ""]: false });
    expect(s.outcomesOf(person.subject)).toEqual([
      expect.objectContaining({
        outcome: "applied",
        written: ["account-platform", "osis"],
        targetFacts: { osis: { s3Keys: { deactivated: [k1, k2] } } },
      }),
    ]);
    // Listed before the user's write, then each key set, then listed again to confirm.
    const osisCalls = environment.osis.calls.all().map((call) => call.operation);
    expect(osisCalls.slice(0, 3)).toEqual(["getUser", "listCredentials", "setActive"]);
    expect(osisCalls.filter((op) => op === "updateCredentialStatus")).toHaveLength(2);
    expect(osisCalls.at(-1)).toBe("listCredentials");
    expect(environment.osis.calls.count("deleteCredential")).toBe(0);
    expect((await environment.ledger.getPerson(person.subject))?.osisKeys).toMatchObject({
      change: "offboard",
      deactivated: [k1, k2],
      alreadyInactive: [],
      at: expect.any(Number),
    });

    await s.send(onboard(person.subject, person.data));
    await s.drain();
    expect(person.osisActive()).toBe(true);
    expect(keys.active()).toEqual({ [k1 ?? ""]: true, [k2 ?? ""]: true });
    expect(s.outcomesOf(person.subject)[1]).toMatchObject({
      outcome: "applied",
      targetFacts: { osis: { s3Keys: { reactivated: [k1, k2] } } },
    });
  });

  it.each([false, true])(
    "a key switched off by hand before the offboard stays off after the rehire (keys follow the user: %s)",
    async (follow) => {
      environment.osis.switches.keysFollowUser = follow;
      const s = await scenario();
      const person = seedPerson(environment, `keys-hand-${follow}`);
      const keys = giveKeys(environment, person, 3);
      const [k1, k2, k3] = keys.ids as [string, string, string];
      keys.switchOff(k3);

      await s.send(offboard(person.subject, person.data));
      await s.drain();
      expect(keys.active()).toEqual({ [k1]: false, [k2]: false, [k3]: false });
      expect(s.outcomesOf(person.subject)[0]?.targetFacts?.osis?.s3Keys).toEqual({
        deactivated: [k1, k2],
        alreadyInactive: [k3],
      });
      // With the keys following the user, the platform switched them off: nothing to write.
      expect(environment.osis.calls.count("updateCredentialStatus")).toBe(follow ? 0 : 2);

      await s.send(onboard(person.subject, person.data));
      await s.drain();
      expect(person.osisActive()).toBe(true);
      expect(keys.active()).toEqual({ [k1]: true, [k2]: true, [k3]: false });
      expect(s.outcomesOf(person.subject)[1]?.targetFacts?.osis?.s3Keys).toEqual({
        reactivated: [k1, k2],
        alreadyInactive: [k3],
      });
    },
  );

  it("501 from updateCredentialStatus: applied, the keys reported platform-managed", async () => {
    environment.osis.switches.credentialStatusSupported = false;
    const s = await scenario();
    const person = seedPerson(environment, "keys-501");
    giveKeys(environment, person, 2);
    await s.send(offboard(person.subject, person.data));
    await s.drain();
    expect(person.osisActive()).toBe(false);
    expect(s.outcomesOf(person.subject)).toEqual([
      expect.objectContaining({
        outcome: "applied",
        targetFacts: { osis: { s3Keys: { platformManaged: true } } },
      }),
    ]);
    expect(await s.takeDeadLetters()).toEqual([]);
  });

  it("a lost answer to the user's write: the retry still counts the keys the platform switched off with it as deactivated", async () => {
    environment.osis.switches.keysFollowUser = true;
    const s = await scenario();
    const person = seedPerson(environment, "keys-lost-answer");
    const keys = giveKeys(environment, person, 2);
    environment.osis.faults.add({ operation: "setActive", reset: "after-apply" });
    await s.send(offboard(person.subject, person.data));
    await s.drain();
    expect(s.outcomesOf(person.subject).map((o) => o.outcome)).toEqual(["retried", "applied"]);
    expect((await environment.ledger.getPerson(person.subject))?.osisKeys).toMatchObject({
      deactivated: keys.ids,
      alreadyInactive: [],
    });
  });

  it("a key write that fails for now is retried, and only the keys left are written", async () => {
    const s = await scenario();
    const person = seedPerson(environment, "keys-transient");
    const keys = giveKeys(environment, person, 2);
    environment.osis.faults.add({ operation: "updateCredentialStatus", status: 503 });
    await s.send(offboard(person.subject, person.data));
    await s.drain();
    expect(s.outcomesOf(person.subject).map((o) => o.outcome)).toEqual(["retried", "applied"]);
    expect(Object.values(keys.active())).toEqual([false, false]);
    expect(environment.osis.calls.count("setActive")).toBe(1);
    expect(s.outcomesOf(person.subject)[1]?.targetFacts?.osis?.s3Keys).toEqual({
      deactivated: keys.ids,
    });
  });

  it("a key write refused for good goes to the DLQ: reason rejected, target osis, the access key named", async () => {
    const s = await scenario();
    const person = seedPerson(environment, "keys-rejected");
    const keys = giveKeys(environment, person, 1);
    environment.osis.faults.add({ operation: "updateCredentialStatus", status: 400 });
    await s.send(offboard(person.subject, person.data));
    await s.drain();
    const [letter] = await s.takeDeadLetters();
    const attributes = letter?.MessageAttributes ?? {};
    expect(attributes["lifecycle.failure.reason"]?.StringValue).toBe("rejected");
    expect(attributes["lifecycle.failure.target"]?.StringValue).toBe("osis");
    expect(attributes["lifecycle.failure.detail"]?.StringValue).toContain(keys.ids[0]);
  });

  it("OSIS_CREDENTIALS=ignore leaves keys alone and never lists them", async () => {
    const s = await scenario({ OSIS_CREDENTIALS: "ignore" });
    const person = seedPerson(environment, "keys-ignored");
    const keys = giveKeys(environment, person, 2);
    await s.send(offboard(person.subject, person.data));
    await s.drain();
    expect(person.osisActive()).toBe(false);
    expect(Object.values(keys.active())).toEqual([true, true]);
    expect(environment.osis.calls.count("listCredentials")).toBe(0);
    expect(s.outcomesOf(person.subject)[0]?.targetFacts).toBeUndefined();
  });
});
