import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AccountPlatformSimulator } from "../../../../local/simulators/account-platform/account-platform-simulator.ts";
import { FaultInjector } from "../../../../local/simulators/common/fault-injector.ts";
import { OsisSimulator } from "../../../../local/simulators/osis/osis-simulator.ts";
import type { AccountPlatformUser } from "../../../../shared/runtime/platforms/account-platform/account-platform.ts";
import {
  accessToken,
  basic,
  CLIENT,
  expectDroppedConnection,
  expectPlatformError,
  TENANT,
  waitUntil,
} from "./helpers.ts";

let sim: AccountPlatformSimulator;
let token: string;

beforeAll(async () => {
  sim = await AccountPlatformSimulator.start({ clients: [CLIENT] });
  token = await accessToken(sim);
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  sim.faults.reset();
  sim.calls.clear();
});

function seed(): AccountPlatformUser {
  return sim.seedUser({ login: `f-${randomUUID().slice(0, 8)}`, tenant_id: TENANT });
}

function getUser(
  id: string,
  on: AccountPlatformSimulator = sim,
  bearer = token,
): Promise<Response> {
  return fetch(`${on.url}/api/2/users/${id}`, { headers: { authorization: `Bearer ${bearer}` } });
}

function putUser(id: string, enabled: boolean, version: number): Promise<Response> {
  return fetch(`${sim.url}/api/2/users/${id}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ enabled, version }),
  });
}

const statuses = (operation: string) =>
  sim.calls
    .all()
    .filter((call) => call.operation === operation)
    .map((call) => call.status);

describe("outage mode", () => {
  it("answers every call 503 while it lasts, the token endpoint included, before any rule", async () => {
    const user = seed();
    sim.faults.add({ operation: "getUser", status: 404 });
    sim.faults.startOutage("503");
    await expectPlatformError(await getUser(user.id), 503);
    await expectPlatformError(await putUser(user.id, false, user.version), 503);
    expect((await fetch(`${sim.url}/api/2/idp/token`, { method: "POST" })).status).toBe(503);
    sim.faults.endOutage();
    expect((await getUser(user.id)).status).toBe(404); // the rule was left for after it
    expect(sim.user(user.id)?.version).toBe(user.version); // the PUT did nothing
  });

  it('"refuse" closes every connection without an answer; a period ends by itself', async () => {
    const user = seed();
    sim.faults.startOutage("refuse", 150);
    await expectDroppedConnection(getUser(user.id));
    expect(sim.faults.outage?.mode).toBe("refuse");
    await waitUntil(() => sim.faults.outage === undefined);
    expect((await getUser(user.id)).status).toBe(200);
    expect(statuses("getUser")).toEqual(["reset", 200]);
  });

  it("is started and ended over the control surface, and refuses a bad mode", async () => {
    const user = seed();
    const control = (method: string, body?: unknown) =>
      fetch(`${sim.url}/__simulator/outage`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    expect((await control("PUT", { mode: "503", seconds: 60 })).status).toBe(200);
    await expectPlatformError(await getUser(user.id), 503);
    const faults = (await (await fetch(`${sim.url}/__simulator/faults`)).json()) as {
      outage: { mode: string } | null;
    };
    expect(faults.outage?.mode).toBe("503");
    expect((await control("DELETE")).status).toBe(200);
    expect((await getUser(user.id)).status).toBe(200);
    expect((await control("PUT", { mode: "down" })).status).toBe(400);
  });
});

describe("fault rules", () => {
  it("answers a status for the next N calls of an operation, in the platform's error shape", async () => {
    const user = seed();
    sim.faults.add({ operation: "getUser", status: 503, times: 2 });
    await expectPlatformError(await getUser(user.id), 503);
    await expectPlatformError(await getUser(user.id), 503);
    expect((await getUser(user.id)).status).toBe(200);
    expect(statuses("getUser")).toEqual([503, 503, 200]);
  });

  it("applies before auth: a fault answers even a caller without a token", async () => {
    const user = seed();
    sim.faults.add({ operation: "getUser", status: 401 });
    await expectPlatformError(await getUser(user.id), 401);
    expect((await getUser(user.id)).status).toBe(200);
  });

  it("uses a raw body and content type, guessing the type when none is given", async () => {
    const user = seed();
    sim.faults.add({
      operation: "getUser",
      status: 400,
      body: "plain words",
      contentType: "text/x-odd",
    });
    sim.faults.add({ operation: "getUser", status: 502, body: "<html>bad gateway</html>" });
    sim.faults.add({ operation: "getUser", status: 500, body: "" });
    const odd = await getUser(user.id);
    expect([odd.status, odd.headers.get("content-type"), await odd.text()]).toEqual([
      400,
      "text/x-odd",
      "plain words",
    ]);
    const html = await getUser(user.id);
    expect([html.status, html.headers.get("content-type"), await html.text()]).toEqual([
      502,
      "text/html",
      "<html>bad gateway</html>",
    ]);
    const empty = await getUser(user.id);
    expect([empty.status, await empty.text()]).toEqual([500, ""]);
  });

  it("sends Retry-After as given (seconds or an HTTP date)", async () => {
    const user = seed();
    const date = new Date(Date.now() + 60_000).toUTCString();
    sim.faults.add({ operation: "getUser", status: 429, retryAfter: "2" });
    sim.faults.add({ operation: "getUser", status: 503, retryAfter: date });
    const seconds = await getUser(user.id);
    expect([seconds.status, seconds.headers.get("retry-after")]).toEqual([429, "2"]);
    const dated = await getUser(user.id);
    expect([dated.status, dated.headers.get("retry-after")]).toEqual([503, date]);
  });

  it('consumes rules in order of addition; "*" matches every operation; Infinity lasts', async () => {
    const user = seed();
    sim.faults.add({ operation: "search", status: 500 });
    sim.faults.add({ operation: "*", status: 502 });
    sim.faults.add({ operation: "getUser", status: 504, times: Infinity });
    expect((await getUser(user.id)).status).toBe(502); // first matching rule: "*"
    expect((await getUser(user.id)).status).toBe(504);
    expect((await getUser(user.id)).status).toBe(504);
    expect(sim.faults.pending().map((rule) => rule.operation)).toEqual(["search", "getUser"]);
    sim.faults.clear();
    expect((await getUser(user.id)).status).toBe(200);
  });

  it("delays by the rule's latency plus the baseline latency", async () => {
    const user = seed();
    sim.faults.setLatency(100);
    sim.faults.add({ operation: "getUser", latencyMs: 150 });
    expect((await getUser(user.id)).status).toBe(200);
    expect((await getUser(user.id)).status).toBe(200);
    const [slow, baseline] = sim.calls.all();
    expect((slow?.endedAt ?? 0) - (slow?.startedAt ?? 0)).toBeGreaterThanOrEqual(245);
    expect((baseline?.endedAt ?? 0) - (baseline?.startedAt ?? 0)).toBeGreaterThanOrEqual(95);
  });

  it('reset: "before" drops the connection without doing the operation', async () => {
    const user = seed();
    sim.faults.add({ operation: "setEnabled", reset: "before" });
    await expectDroppedConnection(putUser(user.id, false, 1));
    expect(sim.user(user.id)).toMatchObject({ enabled: true, version: 1 });
    expect(statuses("setEnabled")).toEqual(["reset"]);
  });

  it('reset: "after-apply" applies the write, then drops the connection (the lost answer)', async () => {
    const user = seed();
    sim.faults.add({ operation: "setEnabled", reset: "after-apply" });
    await expectDroppedConnection(putUser(user.id, false, 1));
    expect(sim.user(user.id)).toMatchObject({ enabled: false, version: 2 });
    expect(statuses("setEnabled")).toEqual(["reset"]);
    // A blind retry with the version it sent is now a conflict.
    await expectPlatformError(await putUser(user.id, false, 1), 409);
  });

  it("bumpVersion: a concurrent writer moves the version on just before the PUT", async () => {
    const user = seed();
    sim.faults.add({ operation: "setEnabled", bumpVersion: true });
    await expectPlatformError(await putUser(user.id, false, 1), 409);
    expect(sim.user(user.id)).toMatchObject({ enabled: true, version: 2 });
    expect((await putUser(user.id, false, 2)).status).toBe(200);
  });

  it("rejects a rule that does nothing or is malformed", () => {
    const faults = new FaultInjector();
    expect(() => faults.add({ operation: "getUser" })).toThrow(TypeError);
    expect(() => faults.add({ operation: "getUser", status: 42 })).toThrow(TypeError);
    expect(() => faults.add({ operation: "getUser", status: 500, times: 0 })).toThrow(TypeError);
    expect(() => faults.add({ operation: "", status: 500 })).toThrow(TypeError);
    expect(() => faults.setLatency(-1)).toThrow(RangeError);
    expect(() => faults.setRateLimit(0)).toThrow(RangeError);
    expect(faults.pending()).toEqual([]);
  });
});

describe("rate limit", () => {
  it("answers over the per-second token bucket with 429 and Retry-After, and stops when switched off", async () => {
    const user = seed();
    sim.faults.setRateLimit(2, 3);
    const answers = await Promise.all(Array.from({ length: 10 }, () => getUser(user.id)));
    const limited = answers.filter((answer) => answer.status === 429);
    expect(answers.filter((answer) => answer.status === 200).length).toBeGreaterThanOrEqual(2);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]?.headers.get("retry-after")).toBe("3");
    await expectPlatformError(limited[0] as Response, 429);
    expect(sim.calls.count("getUser")).toBe(10);

    sim.faults.setRateLimit(undefined);
    const after = await Promise.all(Array.from({ length: 10 }, () => getUser(user.id)));
    expect(after.map((answer) => answer.status)).toEqual(Array(10).fill(200));
  });
});

describe("random faults", () => {
  async function run(seedValue: number, on: AccountPlatformSimulator, user: AccountPlatformUser) {
    const bearer = await accessToken(on);
    on.faults.random({ seed: seedValue, rate: 0.5, kinds: ["5xx", "429"] });
    on.calls.clear();
    const seen: number[] = [];
    for (let i = 0; i < 30; i += 1) seen.push((await getUser(user.id, on, bearer)).status);
    on.faults.random(undefined);
    return seen;
  }

  it("are reproducible from the seed (mulberry32)", async () => {
    const other = await AccountPlatformSimulator.start({ clients: [CLIENT] });
    try {
      const user = seed();
      const twin = other.seedUser({ ...user });
      const first = await run(7, sim, user);
      const again = await run(7, other, twin);
      expect(again).toEqual(first);
      expect(first.filter((status) => status !== 200).length).toBeGreaterThan(0);
      expect(first.filter((status) => status === 200).length).toBeGreaterThan(0);
      expect(
        new Set(first.filter((status) => status !== 200 && status !== 429)).size,
      ).toBeGreaterThan(0);
      expect(await run(8, other, twin)).not.toEqual(first);
    } finally {
      await other.stop();
    }
  });

  it("rate 1 faults every call with the kinds asked for; random(undefined) stops them", async () => {
    const user = seed();
    sim.faults.random({ seed: 1, rate: 1, kinds: ["429"], retryAfter: "4" });
    const limited = await getUser(user.id);
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "4"]);
    sim.faults.random({ seed: 1, rate: 1, kinds: ["reset"] });
    await expectDroppedConnection(getUser(user.id));
    sim.faults.random({ seed: 1, rate: 1, kinds: ["conflict"] });
    await expectPlatformError(await putUser(user.id, false, 1), 409);
    sim.faults.random(undefined);
    expect((await getUser(user.id)).status).toBe(200);
  });

  it("a rule takes precedence over random faults, and clear() stops both", async () => {
    const user = seed();
    sim.faults.random({ seed: 3, rate: 1, kinds: ["5xx"] });
    sim.faults.add({ operation: "getUser", status: 418 });
    expect((await getUser(user.id)).status).toBe(418);
    expect((await getUser(user.id)).status).toBeGreaterThanOrEqual(500);
    sim.faults.clear();
    expect((await getUser(user.id)).status).toBe(200);
  });

  it("rejects bad options", () => {
    const faults = new FaultInjector();
    expect(() => faults.random({ seed: 1, rate: 2, kinds: ["5xx"] })).toThrow(TypeError);
    expect(() => faults.random({ seed: 1, rate: 0.1, kinds: [] })).toThrow(TypeError);
  });
});

describe("call log", () => {
  it("counts calls in flight and the peak, which resetPeak restarts", async () => {
    const user = seed();
    sim.faults.setLatency(300);
    const pending = Array.from({ length: 5 }, () => getUser(user.id));
    await waitUntil(() => sim.calls.inFlight === 5);
    await Promise.all(pending);
    expect(sim.calls.inFlight).toBe(0);
    expect(sim.calls.peakInFlight).toBe(5);
    expect(sim.calls.count("getUser")).toBe(5);
    sim.calls.resetPeak();
    expect(sim.calls.peakInFlight).toBe(0);
  });

  it("does not log after clear() a call that began before it", async () => {
    const user = seed();
    sim.faults.add({ operation: "getUser", latencyMs: 200 });
    const late = getUser(user.id);
    await waitUntil(() => sim.calls.inFlight === 1);
    sim.calls.clear();
    expect((await late).status).toBe(200);
    expect(sim.calls.all()).toEqual([]);
    expect(sim.calls.inFlight).toBe(0);
  });
});

describe("OSIS uses the same machinery", () => {
  const BASIC = { username: "osis", password: "osis-pw" };
  let osis: OsisSimulator;
  beforeAll(async () => {
    osis = await OsisSimulator.start({ basic: [BASIC] });
  });
  afterAll(async () => {
    await osis.stop();
  });

  it("answers a status fault with an OsisError, and a lost PATCH answer is applied", async () => {
    const user = osis.seedUser({ tenant_id: "t", cd_user_id: "lost", cd_tenant_id: "cd" });
    const url = `${osis.url}${osis.basePath}/tenants/t/users/lost`;
    const headers = {
      authorization: basic(BASIC.username, BASIC.password),
      "content-type": "application/json",
    };
    osis.faults.add({ operation: "getUser", status: 503, retryAfter: "1" });
    const unavailable = await fetch(url, { headers });
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get("retry-after")).toBe("1");
    expect(await unavailable.json()).toEqual({
      code: "E_SERVICE_UNAVAILABLE",
      message: expect.any(String),
    });

    osis.faults.add({ operation: "setActive", reset: "after-apply" });
    await expectDroppedConnection(
      fetch(url, { method: "PATCH", headers, body: JSON.stringify({ ...user, active: false }) }),
    );
    expect(osis.user("t", "lost")).toMatchObject({ active: false });
    expect(osis.calls.all().map((call) => [call.operation, call.status])).toEqual([
      ["getUser", 503],
      ["setActive", "reset"],
    ]);
  });

  it("a PATCH held past the client's timeout is applied after the client stopped waiting (the late write)", async () => {
    const user = osis.seedUser({ tenant_id: "t", cd_user_id: "late", cd_tenant_id: "cd" });
    osis.faults.add({ operation: "setActive", latencyMs: 400 });
    const patch = fetch(`${osis.url}${osis.basePath}/tenants/t/users/late`, {
      method: "PATCH",
      headers: {
        authorization: basic(BASIC.username, BASIC.password),
        "content-type": "application/json",
      },
      body: JSON.stringify({ ...user, active: false }),
      signal: AbortSignal.timeout(100),
    });
    await expect(patch).rejects.toThrow();
    expect(osis.user("t", "late")?.active).not.toBe(false);
    await waitUntil(() => osis.user("t", "late")?.active === false);
    expect(osis.calls.inFlight).toBe(0);
  });
});

describe("stop()", () => {
  it("drops calls still waiting on latency instead of hanging", async () => {
    const short = await AccountPlatformSimulator.start({ clients: [CLIENT] });
    const user = short.seedUser({ login: "stop", tenant_id: TENANT });
    const bearer = await accessToken(short);
    short.faults.setLatency(60_000);
    const waiting = getUser(user.id, short, bearer);
    await waitUntil(() => short.calls.inFlight === 1);
    await short.stop();
    await expectDroppedConnection(waiting);
    expect(short.calls.inFlight).toBe(0);
  });
});
