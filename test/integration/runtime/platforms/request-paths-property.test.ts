import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountPlatformSimulator } from "../../../../local/simulators/account-platform/account-platform-simulator.ts";
import type { CallRecord } from "../../../../local/simulators/common/call-log.ts";
import { OsisSimulator } from "../../../../local/simulators/osis/osis-simulator.ts";
import type {
  AccountPlatformCredentials,
  OsisCredentials,
} from "../../../../shared/runtime/credentials/secret-shapes.ts";
import { StaticCredentialSource } from "../../../../shared/runtime/credentials/static-credential-source.ts";
import { AccountPlatformClient } from "../../../../shared/runtime/platforms/account-platform/account-platform-client.ts";
import { OsisClient } from "../../../../shared/runtime/platforms/osis/osis-client.ts";

/**
 * Whatever ids an event (or a platform's own answer) carries, the clients request only the
 * routes they mean to: the user route of exactly those ids, or a lookup route. The paths are
 * the ones the simulators received, after every URL normalization on the way.
 */

const BASIC = { username: "osis-admin", password: "osis-password" };
const CLIENT: AccountPlatformCredentials = { clientId: "hr-sync", clientSecret: "secret-one" };
const TENANT = "ede9f834-70b3-476c-83d9-736f9f8c7dae";

let osisSim: OsisSimulator;
let accountSim: AccountPlatformSimulator;
beforeAll(async () => {
  [osisSim, accountSim] = await Promise.all([
    OsisSimulator.start({ basic: [BASIC] }),
    AccountPlatformSimulator.start({ clients: [CLIENT] }),
  ]);
});
afterAll(async () => {
  await Promise.all([osisSim.stop(), accountSim.stop()]);
});

/** Ids of every kind, weighted towards what URL resolution treats specially. */
const anyId = fc.oneof(
  fc.constantFrom("", ".", "..", "%2e%2e", ".%2E", "a/../..", "../x", "a\\b", "?x", "#x", "\ud800"),
  fc.stringMatching(/^[./\\%?#2eE;,=a-z]{0,8}$/),
  fc.string({ unit: "binary", maxLength: 12 }),
);

const settle = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    () => undefined,
  );

/** The path's segments after `prefix`, decoded; `undefined` when it is not under `prefix`. */
function segmentsAfter(prefix: string, path: string): string[] | undefined {
  if (!path.startsWith(`${prefix}/`)) return undefined;
  try {
    return path
      .slice(prefix.length + 1)
      .split("/")
      .map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

function expectOnly(calls: readonly CallRecord[], allowed: (path: string) => boolean): void {
  const strays = calls.filter((call) => !allowed(call.path));
  expect(strays.map((call) => `${call.method} ${call.path}`)).toEqual([]);
}

describe("platform clients never request another route than the one meant", () => {
  it("OSIS: the user route of exactly the given ids, or the query route", async () => {
    const client = new OsisClient({
      url: osisSim.url,
      basePath: osisSim.basePath,
      credentials: new StaticCredentialSource<OsisCredentials>(BASIC),
      readRetries: 0,
    });
    const base = osisSim.basePath;
    await fc.assert(
      fc.asyncProperty(anyId, anyId, async (tenantId, userId) => {
        osisSim.calls.clear();
        const current = { tenant_id: tenantId, cd_user_id: "c", cd_tenant_id: "ct", active: true };
        await settle(client.getUser(tenantId, userId));
        await settle(client.setActive(tenantId, userId, false, { current }));
        await settle(client.queryUsers({ cd_tenant_id: tenantId, cd_user_id: userId }));
        expectOnly(osisSim.calls.all(), (path) => {
          if (path === `${base}/users/query`) return true;
          const segments = segmentsAfter(base, path);
          return (
            segments !== undefined &&
            segments.length === 4 &&
            !segments.includes("") &&
            segments[0] === "tenants" &&
            segments[1] === tenantId &&
            segments[2] === "users" &&
            segments[3] === userId
          );
        });
      }),
      { numRuns: 100 },
    );
  });

  it("account platform: the user route of exactly the given id, or a lookup route", async () => {
    const client = new AccountPlatformClient({
      url: accountSim.url,
      credentials: new StaticCredentialSource(CLIENT),
      readRetries: 0,
    });
    const lookups = new Set(["/api/2/idp/token", "/api/2/users", "/api/2/search"]);
    await fc.assert(
      fc.asyncProperty(anyId, async (id) => {
        accountSim.calls.clear();
        await settle(client.getUser(id));
        await settle(client.setEnabled(id, false, 1));
        await settle(client.findByExternalId(id, TENANT));
        await settle(client.findByLogin(id, TENANT));
        expectOnly(accountSim.calls.all(), (path) => {
          if (lookups.has(path)) return true;
          const segments = segmentsAfter("/api/2", path);
          return (
            segments?.length === 2 && segments[0] === "users" && id !== "" && segments[1] === id
          );
        });
      }),
      { numRuns: 100 },
    );
  });
});
