import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AccountPlatformSimulator } from "../../../../../local/simulators/account-platform/account-platform-simulator.ts";
import type { AccountPlatformUser } from "../../../../../shared/runtime/platforms/account-platform/account-platform.ts";
import {
  accessToken,
  basic,
  CLIENT,
  expectPlatformError,
  requestToken,
  TENANT,
} from "../helpers.ts";

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
  sim.faults.clear();
  sim.calls.clear();
});

function seed(extra: Partial<AccountPlatformUser> = {}): AccountPlatformUser {
  return sim.seedUser({ login: `user-${randomUUID().slice(0, 8)}`, tenant_id: TENANT, ...extra });
}

function get(path: string, bearer = token): Promise<Response> {
  return fetch(`${sim.url}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
}

function put(id: string, body: unknown, contentType = "application/json"): Promise<Response> {
  return fetch(`${sim.url}/api/2/users/${id}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${token}`, "content-type": contentType },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

interface SearchBody {
  items: { obj_type: string; id: string; login?: string; name: string }[];
}

async function search(query: string): Promise<SearchBody["items"]> {
  const response = await get(`/api/2/search?${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as SearchBody).items;
}

describe("account platform simulator: token endpoint", () => {
  it("issues a bearer token with an ABSOLUTE expires_on, on the simulator's clock", async () => {
    const clock = Date.parse("2026-11-23T08:00:00Z");
    const timed = await AccountPlatformSimulator.start({
      clients: [CLIENT],
      tokenTtlSeconds: 600,
      now: () => clock,
    });
    try {
      const response = await requestToken(timed);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        access_token: expect.any(String),
        token_type: "bearer",
        id_token: expect.any(String),
        expires_on: clock / 1000 + 600,
      });
    } finally {
      await timed.stop();
    }
  });

  it("answers wrong client credentials with 400 invalid_client", async () => {
    const response = await requestToken(sim, basic(CLIENT.clientId, "wrong"));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: "invalid_client",
      error_description: expect.any(String),
    });
  });

  it("answers a request without Basic auth with 401", async () => {
    const response = await requestToken(sim, null);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "invalid_client" });
    const bearer = await requestToken(sim, `Bearer ${token}`);
    expect(bearer.status).toBe(401);
  });

  it("refuses another grant type and a non-form body", async () => {
    const password = await requestToken(sim, null, "grant_type=password");
    expect(password.status).toBe(401);
    const grant = await requestToken(
      sim,
      basic(CLIENT.clientId, CLIENT.clientSecret),
      "grant_type=password",
    );
    expect(grant.status).toBe(400);
    expect(await grant.json()).toMatchObject({ error: "unsupported_grant_type" });
    const json = await fetch(`${sim.url}/api/2/idp/token`, {
      method: "POST",
      headers: {
        authorization: basic(CLIENT.clientId, CLIENT.clientSecret),
        "content-type": "application/json",
      },
      body: JSON.stringify({ grant_type: "client_credentials" }),
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: "invalid_request" });
  });
});

describe("account platform simulator: bearer auth", () => {
  it("answers every other call without a valid bearer token with 401 in the platform's shape", async () => {
    const user = seed();
    await expectPlatformError(await fetch(`${sim.url}/api/2/users/${user.id}`), 401);
    await expectPlatformError(await get(`/api/2/users/${user.id}`, "not-a-token"), 401);
    const basicAuth = await fetch(`${sim.url}/api/2/users/${user.id}`, {
      headers: { authorization: basic(CLIENT.clientId, CLIENT.clientSecret) },
    });
    await expectPlatformError(basicAuth, 401);
    await expectPlatformError(await get(`/api/2/search?text=a`, "nope"), 401);
    expect((await get(`/api/2/users/${user.id}`)).status).toBe(200);
  });

  it("answers a revoked token with 401, and a fresh one works", async () => {
    const own = await AccountPlatformSimulator.start({ clients: [CLIENT] });
    try {
      const user = own.seedUser({ login: "revoked", tenant_id: TENANT });
      const first = await accessToken(own);
      const read = (bearer: string) =>
        fetch(`${own.url}/api/2/users/${user.id}`, {
          headers: { authorization: `Bearer ${bearer}` },
        });
      expect((await read(first)).status).toBe(200);
      own.revokeTokens();
      await expectPlatformError(await read(first), 401);
      expect((await read(await accessToken(own))).status).toBe(200);
    } finally {
      await own.stop();
    }
  });

  it("expires a token at expires_on on the injected clock", async () => {
    let clock = Date.parse("2026-11-23T08:00:00Z");
    const timed = await AccountPlatformSimulator.start({
      clients: [CLIENT],
      tokenTtlSeconds: 7_200,
      now: () => clock,
    });
    try {
      const user = timed.seedUser({ login: "clock", tenant_id: TENANT });
      const bearer = await accessToken(timed);
      const read = () =>
        fetch(`${timed.url}/api/2/users/${user.id}`, {
          headers: { authorization: `Bearer ${bearer}` },
        });
      clock += 7_200_000 - 1;
      expect((await read()).status).toBe(200);
      clock += 1;
      await expectPlatformError(await read(), 401);
    } finally {
      await timed.stop();
    }
  });
});

describe("account platform simulator: users", () => {
  it("returns the full user object, and 404 in the platform's shape for an unknown id", async () => {
    const user = seed({
      external_id: "emp-1",
      contact: { email: "a@example.com", firstname: "A" },
    });
    const response = await get(`/api/2/users/${user.id}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as AccountPlatformUser;
    expect(body).toEqual(user);
    expect(body).toMatchObject({
      version: 1,
      tenant_id: TENANT,
      enabled: true,
      activated: true,
      external_id: "emp-1",
      contact: { email: "a@example.com", firstname: "A", lastname: "" },
      notifications: [],
      business_types: [],
    });
    await expectPlatformError(await get(`/api/2/users/${randomUUID()}`), 404);
  });

  it("PUT with the current version applies `enabled` and answers the user with version + 1", async () => {
    const user = seed();
    const response = await put(user.id, { enabled: false, version: 1 });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ...user, enabled: false, version: 2 });
    expect(sim.user(user.id)).toMatchObject({ enabled: false, version: 2 });
    // Every write increments, even one that changes nothing.
    const again = await put(user.id, { enabled: false, version: 2 });
    expect(await again.json()).toMatchObject({ enabled: false, version: 3 });
  });

  it("answers a stale or future version with 409, and changes nothing", async () => {
    const user = seed();
    sim.setUser(user.id, { language: "de" }); // a hand edit bumps the version
    expect(sim.user(user.id)).toMatchObject({ version: 2, language: "de" });
    const body = await expectPlatformError(await put(user.id, { enabled: false, version: 1 }), 409);
    expect(body.error.details.info).toEqual({ sent: 1, current: 2 });
    await expectPlatformError(await put(user.id, { enabled: false, version: 9 }), 409);
    expect(sim.user(user.id)).toMatchObject({ enabled: true, version: 2 });
  });

  it("answers a stale version with 426 when configured so", async () => {
    const strict = await AccountPlatformSimulator.start({ clients: [CLIENT], conflictStatus: 426 });
    try {
      const user = strict.seedUser({ login: "strict", tenant_id: TENANT });
      const response = await fetch(`${strict.url}/api/2/users/${user.id}`, {
        method: "PUT",
        headers: {
          authorization: `Bearer ${await accessToken(strict)}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ enabled: false, version: 5 }),
      });
      await expectPlatformError(response, 426);
    } finally {
      await strict.stop();
    }
  });

  it("requires version (400), a JSON body (400) and a JSON content type (415)", async () => {
    const user = seed();
    await expectPlatformError(await put(user.id, { enabled: false }), 400);
    await expectPlatformError(await put(user.id, { enabled: false, version: "1" }), 400);
    await expectPlatformError(await put(user.id, { enabled: "no", version: 1 }), 400);
    await expectPlatformError(await put(user.id, "{not json"), 400);
    await expectPlatformError(
      await put(user.id, { enabled: false, version: 1 }, "text/plain"),
      415,
    );
    await expectPlatformError(
      await put(user.id, "enabled=false&version=1", "application/x-www-form-urlencoded"),
      415,
    );
    expect(sim.user(user.id)).toMatchObject({ enabled: true, version: 1 });
    await expectPlatformError(await put(randomUUID(), { enabled: false, version: 1 }), 404);
  });

  it("setUser is a hand edit that bumps the version; seedUser keeps given fields", () => {
    const user = seed({ enabled: false, version: 4 });
    expect(user).toMatchObject({ enabled: false, version: 4 });
    expect(sim.setUser(user.id, { enabled: true })).toMatchObject({ enabled: true, version: 5 });
    expect(() => sim.setUser(randomUUID(), { enabled: true })).toThrow();
    expect(() => sim.seedUser({ login: "", tenant_id: TENANT })).toThrow(TypeError);
    expect(() => sim.seedUser({ id: user.id, login: "dup", tenant_id: TENANT })).toThrow(TypeError);
  });
});

describe("account platform simulator: lookups", () => {
  it("lists users by external_ids within tenant_id, which is required with them", async () => {
    const tag = randomUUID().slice(0, 6);
    const a = seed({ external_id: `emp-a-${tag}` });
    const b = seed({ external_id: `emp-b-${tag}` });
    seed({ external_id: `emp-a-${tag}`, tenant_id: randomUUID() }); // same id, other tenant
    const response = await get(
      `/api/2/users?external_ids=emp-a-${tag},emp-b-${tag},emp-none&tenant_id=${TENANT}`,
    );
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: AccountPlatformUser[] };
    expect(items.map((user) => user.id)).toEqual([a.id, b.id]);
    await expectPlatformError(await get(`/api/2/users?external_ids=emp-a-${tag}`), 400);
  });

  it("search matches by lower-case PREFIX of login, first name, last name and e-mail", async () => {
    const tenant = randomUUID();
    const mk = (login: string, firstname: string, lastname: string, email: string) =>
      sim.seedUser({ login, tenant_id: tenant, contact: { firstname, lastname, email } });
    const jdoe = mk("jdoe", "John", "Doe", "john@example.com");
    const jdoe2 = mk("JDoe2", "Jane", "Doerr", "jane@example.com");
    const other = mk("asmith", "Alice", "Smith", "doe.fan@example.com");
    const ids = async (text: string) =>
      (await search(`tenant=${tenant}&text=${encodeURIComponent(text)}`)).map((item) => item.id);

    expect(await ids("jdoe")).toEqual([jdoe.id, jdoe2.id]);
    expect(await ids("JDOE2")).toEqual([jdoe2.id]);
    expect(await ids("doe")).toEqual([jdoe.id, jdoe2.id, other.id]); // last names, e-mail
    expect(await ids("john d")).toEqual([jdoe.id]); // full name
    expect(await ids("mith")).toEqual([]); // a prefix, not a substring
    expect(await ids("oe")).toEqual([]);

    const [item] = await search(`tenant=${tenant}&text=asm`);
    expect(item).toEqual({
      obj_type: "user",
      id: other.id,
      parent_id: tenant,
      path: `${tenant}/asmith`,
      kind: "user",
      login: "asmith",
      name: "Alice Smith",
      first_name: "Alice",
      last_name: "Smith",
    });
  });

  it("search truncates to `limit` (default 10) and stays inside the tenant", async () => {
    const tenant = randomUUID();
    const word = `lim${randomUUID().slice(0, 6)}`;
    const seeded = Array.from({ length: 12 }, (_, i) =>
      sim.seedUser({ login: `${word}${String(i).padStart(2, "0")}`, tenant_id: tenant }),
    );
    sim.seedUser({ login: `${word}-elsewhere`, tenant_id: randomUUID() });
    const byDefault = await search(`tenant=${tenant}&text=${word}`);
    expect(byDefault.map((item) => item.id)).toEqual(seeded.slice(0, 10).map((user) => user.id));
    expect(await search(`tenant=${tenant}&text=${word}&limit=3`)).toHaveLength(3);
    expect(await search(`tenant=${tenant}&text=${word}&limit=50`)).toHaveLength(12);
    expect(await search(`text=${word}&limit=50`)).toHaveLength(13); // no tenant: every tenant
    await expectPlatformError(
      await get(`/api/2/search?tenant=${tenant}&text=${word}&limit=0`),
      400,
    );
    await expectPlatformError(await get(`/api/2/search?tenant=${tenant}`), 400);
  });

  it("search returns tenants too (obj_type tenant), which a login lookup must skip", async () => {
    const own = await AccountPlatformSimulator.start({ clients: [CLIENT] });
    try {
      own.seedTenant({ id: TENANT, name: "Acme" });
      own.seedTenant({ id: "child", name: "jdoe labs", parent_id: TENANT });
      const jdoe = own.seedUser({ login: "jdoe", tenant_id: TENANT });
      const response = await fetch(`${own.url}/api/2/search?tenant=${TENANT}&text=jdoe`, {
        headers: { authorization: `Bearer ${await accessToken(own)}` },
      });
      const { items } = (await response.json()) as SearchBody;
      expect(items.map(({ obj_type, id }) => ({ obj_type, id }))).toEqual([
        { obj_type: "tenant", id: "child" },
        { obj_type: "user", id: jdoe.id },
      ]);
      expect(items[1]).toMatchObject({ path: "Acme/jdoe" });
    } finally {
      await own.stop();
    }
  });

  it("logs each call under its operation name", async () => {
    const user = seed();
    await get(`/api/2/users/${user.id}`);
    await put(user.id, { enabled: false, version: 1 });
    await get(`/api/2/users?external_ids=x&tenant_id=${TENANT}`);
    await get(`/api/2/search?text=x`);
    await requestToken(sim);
    await get("/api/2/nowhere");
    expect(
      sim.calls.all().map(({ operation, method, status }) => ({ operation, method, status })),
    ).toEqual([
      { operation: "getUser", method: "GET", status: 200 },
      { operation: "setEnabled", method: "PUT", status: 200 },
      { operation: "listUsers", method: "GET", status: 200 },
      { operation: "search", method: "GET", status: 200 },
      { operation: "token", method: "POST", status: 200 },
      { operation: "unknown", method: "GET", status: 404 },
    ]);
    expect(sim.calls.all()[0]?.path).toBe(`/api/2/users/${user.id}`);
  });
});
