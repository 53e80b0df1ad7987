import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OsisSimulator } from "../../../../../local/simulators/osis/osis-simulator.ts";
import type { OsisUser } from "../../../../../shared/runtime/platforms/osis/osis.ts";
import { basic } from "../helpers.ts";

const BASIC = { username: "osis-admin", password: "osis-password" };
const TOKEN = "osis-bearer-token";
const AUTH = basic(BASIC.username, BASIC.password);
const TENANT = "bb8287a9-874e-46d2-abbd-58278e1ac046";
const CD_TENANT = "40b97e3c-c3b1-4251-b7de-e9637324683f";

let sim: OsisSimulator;

beforeAll(async () => {
  sim = await OsisSimulator.start({ basic: [BASIC], tokens: [TOKEN] });
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  sim.faults.clear();
  sim.calls.clear();
});

function seed(on: OsisSimulator = sim, extra: Partial<OsisUser> = {}): OsisUser {
  return on.seedUser({
    tenant_id: TENANT,
    cd_user_id: `u-${randomUUID().slice(0, 8)}`,
    cd_tenant_id: CD_TENANT,
    ...extra,
  });
}

function call(
  method: string,
  path: string,
  options: {
    body?: unknown;
    authorization?: string | null;
    contentType?: string;
    on?: OsisSimulator;
  } = {},
): Promise<Response> {
  const on = options.on ?? sim;
  const authorization = options.authorization === undefined ? AUTH : options.authorization;
  const headers: Record<string, string> = {};
  if (authorization !== null) headers.authorization = authorization;
  if (options.body !== undefined)
    headers["content-type"] = options.contentType ?? "application/json";
  return fetch(`${on.url}${on.basePath}${path}`, {
    method,
    headers,
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === "string"
          ? options.body
          : JSON.stringify(options.body),
  });
}

function userPath(user: OsisUser): string {
  return `/tenants/${user.tenant_id}/users/${user.user_id}`;
}

async function expectOsisError(response: Response, status: number, code: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(await response.json()).toEqual({ code, message: expect.any(String) });
}

/** The reference implementation's framework error: NOT an OsisError (no string `code`). */
async function expectFrameworkError(response: Response, status: number): Promise<void> {
  expect(response.status).toBe(status);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, error: expect.any(String), path: expect.any(String) });
  expect(body.code).toBeUndefined();
}

describe("OSIS simulator: auth", () => {
  it("accepts the configured Basic credentials or bearer token, and 401s anything else", async () => {
    const user = seed();
    expect((await call("GET", userPath(user))).status).toBe(200);
    expect((await call("GET", userPath(user), { authorization: `Bearer ${TOKEN}` })).status).toBe(
      200,
    );
    for (const authorization of [
      null,
      basic(BASIC.username, "wrong"),
      basic("someone", BASIC.password),
      "Bearer wrong-token",
      `Bearer ${BASIC.password}`,
    ]) {
      await expectOsisError(
        await call("GET", userPath(user), { authorization }),
        401,
        "E_UNAUTHORIZED",
      );
    }
    await expectOsisError(
      await call("PATCH", userPath(user), {
        authorization: null,
        body: { ...user, active: false },
      }),
      401,
      "E_UNAUTHORIZED",
    );
    expect(sim.user(TENANT, user.user_id ?? "")).toMatchObject({ active: true });
  });
});

describe("OSIS simulator: users", () => {
  it("seeds with user_id = cd_user_id, a canonical uuid and active true by default", () => {
    const user = seed();
    expect(user).toEqual({
      tenant_id: TENANT,
      cd_user_id: user.cd_user_id,
      cd_tenant_id: CD_TENANT,
      user_id: user.cd_user_id,
      canonical_user_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      active: true,
    });
    expect(() =>
      sim.seedUser({ tenant_id: TENANT, cd_user_id: "", cd_tenant_id: CD_TENANT }),
    ).toThrow(TypeError);
  });

  it("getUserWithId answers the user, or 404 with a body that is NOT an OsisError", async () => {
    const user = seed();
    const response = await call("GET", userPath(user));
    expect(await response.json()).toEqual(user);
    await expectFrameworkError(await call("GET", `/tenants/${TENANT}/users/nobody`), 404);
  });

  it("getUserWithCanonicalId, headUser and deleteUser", async () => {
    const user = seed();
    const byCanonical = await call("GET", `/users/${user.canonical_user_id}`);
    expect(await byCanonical.json()).toEqual(user);
    await expectFrameworkError(await call("GET", `/users/${randomUUID()}`), 404);

    const head = await call("HEAD", userPath(user));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect((await call("HEAD", `/tenants/${TENANT}/users/nobody`)).status).toBe(404);

    expect((await call("DELETE", userPath(user))).status).toBe(204);
    expect(sim.user(TENANT, user.user_id ?? "")).toBeUndefined();
    await expectFrameworkError(await call("DELETE", userPath(user)), 404);
    expect(sim.calls.all().map((c) => c.operation)).toEqual([
      "getUserWithCanonicalId",
      "getUserWithCanonicalId",
      "headUser",
      "headUser",
      "deleteUser",
      "deleteUser",
    ]);
  });

  it("createUser answers 201 with user_id and canonical_user_id, and validates the body", async () => {
    const tenant = randomUUID();
    const created = await call("POST", `/tenants/${tenant}/users`, {
      body: {
        tenant_id: tenant,
        cd_user_id: "newbie",
        cd_tenant_id: CD_TENANT,
        email: "n@example.com",
      },
    });
    expect(created.status).toBe(201);
    const user = (await created.json()) as OsisUser;
    expect(user).toMatchObject({ user_id: "newbie", active: true, email: "n@example.com" });
    expect(user.canonical_user_id).toEqual(expect.any(String));
    expect(sim.user(tenant, "newbie")).toEqual(user);
    expect(
      (
        await call("POST", `/tenants/${tenant}/users`, {
          body: { tenant_id: tenant, cd_user_id: "newbie", cd_tenant_id: CD_TENANT },
        })
      ).status,
    ).toBe(409);
    await expectOsisError(
      await call("POST", `/tenants/${tenant}/users`, {
        body: { tenant_id: tenant, cd_user_id: "x" },
      }),
      400,
      "E_BAD_REQUEST",
    );
  });

  it("listUsers pages one tenant's users", async () => {
    const tenant = randomUUID();
    const seeded = Array.from({ length: 3 }, () => seed(sim, { tenant_id: tenant }));
    const response = await call("GET", `/tenants/${tenant}/users?offset=1&limit=5`);
    expect(await response.json()).toEqual({
      items: seeded.slice(1),
      page_info: { limit: 5, offset: 1, total: 3 },
    });
  });
});

describe("OSIS simulator: updateUserStatus (PATCH)", () => {
  it("applies only `active` from a complete OsisUser body, answering 200 with the user", async () => {
    const user = seed(sim, { email: "before@example.com" });
    const response = await call("PATCH", userPath(user), {
      body: { ...user, active: false, email: "changed@example.com", username: "renamed" },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ...user, active: false });
    expect(sim.user(TENANT, user.user_id ?? "")).toEqual({ ...user, active: false });
    expect(sim.calls.all().map((c) => [c.operation, c.status])).toEqual([["setActive", 200]]);
  });

  it("answers a body missing a required field with 400 E_BAD_REQUEST", async () => {
    const user = seed();
    for (const missing of ["tenant_id", "cd_user_id", "cd_tenant_id"] as const) {
      const { [missing]: _dropped, ...body } = { ...user, active: false };
      await expectOsisError(await call("PATCH", userPath(user), { body }), 400, "E_BAD_REQUEST");
    }
    await expectOsisError(
      await call("PATCH", userPath(user), { body: { active: false } }),
      400,
      "E_BAD_REQUEST",
    );
    await expectOsisError(
      await call("PATCH", userPath(user), { body: { ...user, active: "no" } }),
      400,
      "E_BAD_REQUEST",
    );
    await expectOsisError(
      await call("PATCH", userPath(user), { body: "{oops" }),
      400,
      "E_BAD_REQUEST",
    );
    expect(
      (await call("PATCH", userPath(user), { body: "active=false", contentType: "text/plain" }))
        .status,
    ).toBe(415);
    expect(sim.user(TENANT, user.user_id ?? "")).toMatchObject({ active: true });
  });

  it("answers an unknown user with 404 and a body that is NOT an OsisError", async () => {
    await expectFrameworkError(
      await call("PATCH", `/tenants/${TENANT}/users/nobody`, {
        body: { tenant_id: TENANT, cd_user_id: "nobody", cd_tenant_id: CD_TENANT, active: false },
      }),
      404,
    );
  });

  it("answers 201 on the older revision's base path /osis/api/v1", async () => {
    const older = await OsisSimulator.start({ basic: [BASIC], basePath: "/osis/api/v1" });
    try {
      expect(older.basePath).toBe("/osis/api/v1");
      const user = seed(older);
      const response = await call("PATCH", userPath(user), {
        on: older,
        body: { ...user, active: false },
      });
      expect(response.status).toBe(201);
      expect(await response.json()).toMatchObject({ active: false });
      expect(older.user(TENANT, user.user_id ?? "")).toMatchObject({ active: false });
      // The newer paths do not exist there.
      const newer = await fetch(`${older.url}/api/v1${userPath(user)}`, {
        headers: { authorization: AUTH },
      });
      expect(newer.status).toBe(404);
    } finally {
      await older.stop();
    }
  });

  it("answers 501 when the platform does not support status changes", async () => {
    const bare = await OsisSimulator.start({ basic: [BASIC], supportsStatus: false });
    try {
      const user = seed(bare);
      await expectOsisError(
        await call("PATCH", userPath(user), { on: bare, body: { ...user, active: false } }),
        501,
        "E_NOT_IMPLEMENTED",
      );
      expect(bare.user(TENANT, user.user_id ?? "")).toMatchObject({ active: true });
    } finally {
      await bare.stop();
    }
  });
});

describe("OSIS simulator: queryUsers", () => {
  it("filters with key==value;key==value over every documented key", async () => {
    const cdTenant = randomUUID();
    const alice = seed(sim, { cd_tenant_id: cdTenant, username: "alice" });
    const bob = seed(sim, { cd_tenant_id: cdTenant, username: "bob", active: false });
    const carol = seed(sim, { cd_tenant_id: cdTenant, tenant_id: randomUUID() });
    const { active: _a, ...withoutActive } = seed(sim, { cd_tenant_id: cdTenant });
    const dave = sim.setUser(withoutActive.tenant_id, withoutActive.user_id ?? "", {
      active: undefined,
    });
    const ids = async (filter: string) => {
      const response = await call("GET", `/users/query?filter=${encodeURIComponent(filter)}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as { items: OsisUser[] };
      return page.items.map((user) => user.cd_user_id);
    };
    expect(await ids(`cd_tenant_id==${cdTenant}`)).toEqual(
      [alice, bob, carol, dave].map((u) => u.cd_user_id),
    );
    expect(await ids(`cd_tenant_id==${cdTenant};cd_user_id==${bob.cd_user_id}`)).toEqual([
      bob.cd_user_id,
    ]);
    expect(await ids(`cd_tenant_id==${cdTenant};active==false`)).toEqual([bob.cd_user_id]);
    // A user without `active` is active.
    expect(await ids(`cd_tenant_id==${cdTenant};active==true`)).toEqual(
      [alice, carol, dave].map((u) => u.cd_user_id),
    );
    expect(await ids(`cd_tenant_id==${cdTenant};tenant_id==${TENANT}`)).toEqual(
      [alice, bob, dave].map((u) => u.cd_user_id),
    );
    expect(await ids(`display_name==alice;cd_tenant_id==${cdTenant}`)).toEqual([alice.cd_user_id]);
    expect(await ids(`user_id==${carol.user_id};cd_tenant_id==${cdTenant}`)).toEqual([
      carol.cd_user_id,
    ]);
    expect(await ids(`canonical_user_id==${alice.canonical_user_id}`)).toEqual([alice.cd_user_id]);
    expect(await ids(`cd_tenant_id==${cdTenant};cd_user_id==nobody`)).toEqual([]);
  });

  it("pages with offset and limit, and page_info tells the total", async () => {
    const cdTenant = randomUUID();
    const seeded = Array.from({ length: 5 }, () => seed(sim, { cd_tenant_id: cdTenant }));
    const response = await call(
      "GET",
      `/users/query?filter=cd_tenant_id==${cdTenant}&offset=2&limit=2`,
    );
    expect(await response.json()).toEqual({
      items: seeded.slice(2, 4),
      page_info: { limit: 2, offset: 2, total: 5 },
    });
  });

  it("answers an unknown key, a malformed term or a bad page with 400 E_BAD_REQUEST", async () => {
    for (const query of [
      "filter=email==x",
      "filter=cd_user_id=x",
      "filter=active==maybe",
      "limit=0",
      "offset=-1",
    ]) {
      await expectOsisError(await call("GET", `/users/query?${query}`), 400, "E_BAD_REQUEST");
    }
  });
});
