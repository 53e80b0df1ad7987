import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OsisSimulator } from "../../../../../local/simulators/osis/osis-simulator.ts";
import type { OsisCredentials } from "../../../../../shared/runtime/credentials/secret-shapes.ts";
import { StaticCredentialSource } from "../../../../../shared/runtime/credentials/static-credential-source.ts";
import {
  NotAppliedError,
  RejectedError,
  UnavailableError,
  UnsupportedError,
} from "../../../../../shared/runtime/errors/platform-errors.ts";
import { OsisClient } from "../../../../../shared/runtime/platforms/osis/osis-client.ts";
import { expectNoSecretIn, failureOf, renderings } from "../helpers.ts";

const BASIC = { username: "osis-admin", password: "osis-password" };
const TENANT = "bb8287a9-874e-46d2-abbd-58278e1ac046";
const CD_TENANT = "40b97e3c-c3b1-4251-b7de-e9637324683f";

let sim: OsisSimulator;
beforeAll(async () => {
  sim = await OsisSimulator.start({ basic: [BASIC] });
});
afterAll(() => sim.stop());
beforeEach(() => {
  sim.faults.clear();
  sim.calls.clear();
  sim.switches.credentialStatusSupported = true;
});

function client(pageSize = 100): OsisClient {
  return new OsisClient({
    url: sim.url,
    basePath: sim.basePath,
    credentials: new StaticCredentialSource<OsisCredentials>(BASIC),
    retryBaseMs: 10,
    pageSize,
  });
}

/** A user with `count` keys; the secrets, to look for. */
function userWithKeys(count: number) {
  const userId = `u-${randomUUID().slice(0, 8)}`;
  sim.seedUser({ tenant_id: TENANT, cd_user_id: userId, cd_tenant_id: CD_TENANT });
  const keys = Array.from({ length: count }, () =>
    sim.seedCredential({ tenant_id: TENANT, user_id: userId }),
  );
  return { userId, keys, secrets: keys.map((key) => key.secret_key) };
}

describe("OsisClient.listKeys", () => {
  it("reads every page and hands back access key ids and active flags, no secret", async () => {
    const { userId, keys, secrets } = userWithKeys(5);
    sim.setCredentialActive(keys[1]?.access_key ?? "", false);
    const listed = await client(2).listKeys(TENANT, userId);
    expect(listed).toEqual(keys.map((key, i) => ({ accessKey: key.access_key, active: i !== 1 })));
    expectNoSecretIn([JSON.stringify(listed)], secrets);
    expect(sim.calls.all().map((call) => call.operation)).toEqual([
      "listCredentials",
      "listCredentials",
      "listCredentials",
    ]);
  });

  it("retries a failed read, and maps a lasting one like every OSIS call", async () => {
    const { userId } = userWithKeys(1);
    sim.faults.add({ operation: "listCredentials", status: 503 });
    expect(await client().listKeys(TENANT, userId)).toHaveLength(1);
    sim.faults.add({ operation: "listCredentials", status: 503, times: Infinity });
    expect(await failureOf(client().listKeys(TENANT, userId))).toBeInstanceOf(UnavailableError);
  });
});

/** setKeysActive asked to switch one key off. */
function setOne(userId: string, accessKey: string) {
  return client().setKeysActive({ tenantId: TENANT, userId }, async () => [
    { accessKey, active: false },
  ]);
}

describe("OsisClient.setKeysActive", () => {
  it("echoes the credential the list shows, with active set, and the key is off", async () => {
    const { userId, keys } = userWithKeys(2);
    const [key] = keys;
    const changed = await setOne(userId, key?.access_key ?? "");
    expect(changed.written).toEqual([{ accessKey: key?.access_key, active: false }]);
    expect(changed.listed.map((k) => k.active)).toEqual([true, true]);
    expect(sim.credentials(TENANT, userId).map((k) => k.active)).toEqual([false, true]);
    expect(sim.calls.all().map((call) => [call.operation, call.status])).toEqual([
      ["listCredentials", 200],
      ["updateCredentialStatus", 200],
    ]);
  });

  it("501: UnsupportedError naming the access key", async () => {
    const { userId, keys } = userWithKeys(1);
    sim.switches.credentialStatusSupported = false;
    const error = await failureOf(setOne(userId, keys[0]?.access_key ?? ""));
    expect(error).toBeInstanceOf(UnsupportedError);
    expect(error.message).toContain(keys[0]?.access_key);
  });

  it("a key the list does not show is not written; an answer still active: NotAppliedError", async () => {
    const { userId, keys } = userWithKeys(1);
    expect((await setOne(userId, "AKNOSUCHKEY")).written).toEqual([]);
    sim.faults.add({
      operation: "updateCredentialStatus",
      status: 200,
      body: JSON.stringify({ ...keys[0], active: true }),
    });
    const error = await failureOf(setOne(userId, keys[0]?.access_key ?? ""));
    expect(error).toBeInstanceOf(NotAppliedError);
    expectNoSecretIn(renderings(error), [keys[0]?.secret_key ?? ""]);
  });

  it("never puts the secret key in an error, even when the platform echoes it back", async () => {
    const { userId, keys, secrets } = userWithKeys(1);
    const [key] = keys;
    for (const status of [400, 500]) {
      sim.faults.add({
        operation: "updateCredentialStatus",
        status,
        body: JSON.stringify({
          code: `E_${key?.secret_key}`,
          message: `credential ${key?.access_key} with secret ${key?.secret_key} is bad`,
        }),
      });
      const error = await failureOf(setOne(userId, key?.access_key ?? ""));
      expect(error).toBeInstanceOf(status === 400 ? RejectedError : UnavailableError);
      expect(error.message).toContain(key?.access_key);
      expect(error.message).toContain("[redacted]");
      expectNoSecretIn(renderings(error), secrets);
    }
    // A write is not repeated blindly: one PATCH per attempt.
    expect(sim.calls.all().filter((c) => c.operation === "updateCredentialStatus")).toHaveLength(2);
  });
});
