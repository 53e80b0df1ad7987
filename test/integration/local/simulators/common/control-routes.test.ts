import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AccountPlatformSimulator } from "../../../../../local/simulators/account-platform/account-platform-simulator.ts";
import type { CallRecord } from "../../../../../local/simulators/common/call-log.ts";
import { OsisSimulator } from "../../../../../local/simulators/osis/osis-simulator.ts";
import type { AccountPlatformUser } from "../../../../../shared/runtime/platforms/account-platform/account-platform.ts";
import type { OsisUser } from "../../../../../shared/runtime/platforms/osis/osis.ts";
import { accessToken, basic, CLIENT, TENANT, waitUntil } from "../helpers.ts";

let accounts: AccountPlatformSimulator;
let osis: OsisSimulator;
const OSIS_BASIC = { username: "osis", password: "osis-pw" };

beforeAll(async () => {
  [accounts, osis] = await Promise.all([
    AccountPlatformSimulator.start({ clients: [CLIENT] }),
    OsisSimulator.start({ basic: [OSIS_BASIC] }),
  ]);
});
afterAll(async () => {
  await Promise.all([accounts.stop(), osis.stop()]);
});
beforeEach(() => {
  for (const sim of [accounts, osis]) {
    sim.faults.reset();
    sim.calls.clear();
  }
});

function control(
  on: { url: string },
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${on.url}/__simulator${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
}

async function json<T>(response: Response, status = 200): Promise<T> {
  expect(response.status).toBe(status);
  return (await response.json()) as T;
}

describe("control surface: users", () => {
  it("seeds, lists, reads and hand-edits account platform users", async () => {
    const seeded = await json<AccountPlatformUser>(
      await control(accounts, "POST", "/users", {
        login: "ctl",
        tenant_id: TENANT,
        external_id: "e-1",
      }),
      201,
    );
    expect(seeded).toMatchObject({ login: "ctl", version: 1, enabled: true, external_id: "e-1" });
    expect(accounts.user(seeded.id)).toEqual(seeded);

    const { items } = await json<{ items: AccountPlatformUser[] }>(
      await control(accounts, "GET", "/users"),
    );
    expect(items.map((user) => user.id)).toContain(seeded.id);
    expect(await json(await control(accounts, "GET", `/users/${seeded.id}`))).toEqual(seeded);

    const edited = await json<AccountPlatformUser>(
      await control(accounts, "PATCH", `/users/${seeded.id}`, { enabled: false }),
    );
    expect(edited).toMatchObject({ enabled: false, version: 2 });
    expect(accounts.user(seeded.id)).toMatchObject({ enabled: false, version: 2 });

    expect((await control(accounts, "GET", "/users/nobody")).status).toBe(404);
    expect((await control(accounts, "PATCH", "/users/nobody", { enabled: true })).status).toBe(404);
    expect((await control(accounts, "POST", "/users", { tenant_id: TENANT })).status).toBe(400);
    expect((await control(accounts, "POST", "/users", "not an object")).status).toBe(400);
  });

  it("seeds, reads and hand-edits OSIS users by tenant and user id", async () => {
    const seeded = await json<OsisUser>(
      await control(osis, "POST", "/users", {
        tenant_id: "t 1",
        cd_user_id: "u/1",
        cd_tenant_id: "cd",
      }),
      201,
    );
    expect(seeded).toMatchObject({ user_id: "u/1", active: true });
    const key = `/users/${encodeURIComponent("t 1")}/${encodeURIComponent("u/1")}`;
    expect(await json(await control(osis, "GET", key))).toEqual(seeded);
    expect(await json(await control(osis, "PATCH", key, { active: false }))).toMatchObject({
      active: false,
    });
    expect(osis.user("t 1", "u/1")).toMatchObject({ active: false });
    expect((await control(osis, "GET", "/users/t/nobody")).status).toBe(404);
    expect((await control(osis, "POST", "/users", { tenant_id: "t" })).status).toBe(400);
  });
});

describe("control surface: faults, latency, rate limit, calls", () => {
  it('adds fault rules (times may be "Infinity"), lists and clears them', async () => {
    const user = accounts.seedUser({ login: "faulty", tenant_id: TENANT });
    const bearer = await accessToken(accounts);
    const read = () =>
      fetch(`${accounts.url}/api/2/users/${user.id}`, {
        headers: { authorization: `Bearer ${bearer}` },
      });

    await json(
      await control(accounts, "POST", "/faults", {
        operation: "getUser",
        status: 503,
        times: "Infinity",
      }),
      201,
    );
    expect((await read()).status).toBe(503);
    expect((await read()).status).toBe(503);
    const listed = await json<{ rules: unknown[] }>(await control(accounts, "GET", "/faults"));
    expect(listed.rules).toEqual([{ operation: "getUser", status: 503, times: "Infinity" }]);
    await json(await control(accounts, "DELETE", "/faults"));
    expect((await read()).status).toBe(200);

    expect((await control(accounts, "POST", "/faults", { operation: "getUser" })).status).toBe(400);
    expect(
      (await control(accounts, "POST", "/faults", { operation: "getUser", status: "x" })).status,
    ).toBe(400);
  });

  it("sets latency and the rate limit, and reads and clears the call log", async () => {
    const user = osis.seedUser({ tenant_id: "t", cd_user_id: "calls", cd_tenant_id: "cd" });
    const read = () =>
      fetch(`${osis.url}${osis.basePath}/tenants/t/users/${user.user_id}`, {
        headers: { authorization: basic(OSIS_BASIC.username, OSIS_BASIC.password) },
      });

    await json(await control(osis, "PUT", "/latency", { ms: 300 }));
    expect(osis.faults.latencyMs).toBe(300);
    const pending = [read(), read(), read()];
    await waitUntil(() => osis.calls.inFlight === 3);
    const during = await json<{ items: CallRecord[]; inFlight: number; peakInFlight: number }>(
      await control(osis, "GET", "/calls"),
    );
    expect(during).toMatchObject({ items: [], inFlight: 3, peakInFlight: 3 });
    expect((await Promise.all(pending)).map((r) => r.status)).toEqual([200, 200, 200]);
    await json(await control(osis, "PUT", "/latency", { ms: 0 }));

    const after = await json<{ items: CallRecord[] }>(await control(osis, "GET", "/calls"));
    expect(after.items.map((call) => [call.operation, call.status])).toEqual([
      ["getUser", 200],
      ["getUser", 200],
      ["getUser", 200],
    ]);
    await json(await control(osis, "DELETE", "/calls"));
    expect(osis.calls.all()).toEqual([]);

    await json(await control(osis, "PUT", "/rate-limit", { perSecond: 1, retryAfterSeconds: 7 }));
    const answers = await Promise.all([read(), read(), read()]);
    const limited = answers.find((answer) => answer.status === 429);
    expect(limited?.headers.get("retry-after")).toBe("7");
    await json(await control(osis, "PUT", "/rate-limit", { perSecond: null }));
    expect((await read()).status).toBe(200);
    expect((await control(osis, "PUT", "/latency", { ms: -5 })).status).toBe(400);
  });

  it("starts and stops seeded random faults", async () => {
    await json(await control(accounts, "PUT", "/random", { seed: 1, rate: 1, kinds: ["5xx"] }));
    const user = accounts.seedUser({ login: "rnd", tenant_id: TENANT });
    const read = () => fetch(`${accounts.url}/api/2/users/${user.id}`);
    expect((await read()).status).toBeGreaterThanOrEqual(500);
    await json(await control(accounts, "DELETE", "/random"));
    expect((await read()).status).toBe(401); // no token: the real answer again
    expect(
      (await control(accounts, "PUT", "/random", { seed: 1, rate: 1, kinds: ["boom"] })).status,
    ).toBe(400);
  });

  it("revokes account platform tokens", async () => {
    const user = accounts.seedUser({ login: "revoke", tenant_id: TENANT });
    const bearer = await accessToken(accounts);
    const read = () =>
      fetch(`${accounts.url}/api/2/users/${user.id}`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
    expect((await read()).status).toBe(200);
    await json(await control(accounts, "POST", "/revoke-tokens"));
    expect((await read()).status).toBe(401);
  });

  it("control routes need no auth, are never faulted or rate limited, and are not logged", async () => {
    accounts.faults.add({ operation: "*", status: 503, times: Infinity });
    accounts.faults.setRateLimit(1);
    accounts.faults.setLatency(5_000);
    for (let i = 0; i < 5; i += 1) {
      expect((await control(accounts, "GET", "/users")).status).toBe(200);
    }
    expect(accounts.calls.all()).toEqual([]);
    expect((await control(accounts, "GET", "/nowhere")).status).toBe(404);
    await json(await control(accounts, "POST", "/reset"));
    expect(accounts.faults.pending()).toEqual([]);
    expect(accounts.faults.latencyMs).toBe(0);
    expect(accounts.faults.rateLimit).toBeUndefined();
  });
});
