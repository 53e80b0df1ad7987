import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OsisSimulator } from "../../../../../local/simulators/osis/osis-simulator.ts";
import type { OsisUser } from "../../../../../shared/runtime/platforms/osis/osis.ts";
import type { OsisS3Credential } from "../../../../../shared/runtime/platforms/osis/osis-credentials.ts";
import { basic } from "../helpers.ts";

const BASIC = { username: "osis-admin", password: "osis-password" };
const AUTH = basic(BASIC.username, BASIC.password);
const TENANT = "bb8287a9-874e-46d2-abbd-58278e1ac046";
const CD_TENANT = "40b97e3c-c3b1-4251-b7de-e9637324683f";

let sim: OsisSimulator;
beforeAll(async () => {
  sim = await OsisSimulator.start({ basic: [BASIC] });
});
afterAll(() => sim.stop());

function userWithKeys(count: number): { user: OsisUser; keys: OsisS3Credential[] } {
  const user = sim.seedUser({
    tenant_id: TENANT,
    cd_user_id: `u-${randomUUID().slice(0, 8)}`,
    cd_tenant_id: CD_TENANT,
  });
  const keys = Array.from({ length: count }, () =>
    sim.seedCredential({ tenant_id: TENANT, user_id: user.user_id ?? "" }),
  );
  return { user, keys };
}

function call(method: string, path: string, body?: unknown, contentType = "application/json") {
  return fetch(`${sim.url}${sim.basePath}${path}`, {
    method,
    headers: {
      authorization: AUTH,
      ...(body === undefined ? {} : { "content-type": contentType }),
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}

const listPath = (user: OsisUser) => `/tenants/${TENANT}/users/${user.user_id}/s3credentials`;
const keyPath = (user: OsisUser, key: OsisS3Credential) =>
  `/s3credentials/${key.access_key}?tenant_id=${TENANT}&user_id=${user.user_id}`;

describe("OSIS simulator: listCredentials", () => {
  it("answers a PageOfS3Credentials with the required fields, paged by offset and limit", async () => {
    const { user, keys } = userWithKeys(3);
    const first = await call("GET", `${listPath(user)}?offset=0&limit=2`);
    expect(first.status).toBe(200);
    const page = (await first.json()) as { items: OsisS3Credential[]; page_info: unknown };
    expect(page.page_info).toEqual({ limit: 2, offset: 0, total: 3 });
    expect(page.items.map((item) => item.access_key)).toEqual(
      keys.slice(0, 2).map((key) => key.access_key),
    );
    expect(page.items[0]).toEqual({
      access_key: keys[0]?.access_key,
      secret_key: expect.any(String),
      tenant_id: TENANT,
      user_id: user.user_id,
      cd_user_id: user.cd_user_id,
      cd_tenant_id: CD_TENANT,
      active: true,
      creation_date: expect.any(String),
    });
    const rest = (await (await call("GET", `${listPath(user)}?offset=2&limit=2`)).json()) as {
      items: unknown[];
    };
    expect(rest.items).toHaveLength(1);
    expect((await call("GET", `${listPath(user)}?limit=0`)).status).toBe(400);
  });
});

describe("OSIS simulator: updateCredentialStatus", () => {
  it("takes a whole OsisS3Credential and changes only active", async () => {
    const { user, keys } = userWithKeys(1);
    const [key] = keys as [OsisS3Credential];
    const answer = await call("PATCH", keyPath(user, key), {
      ...key,
      active: false,
      username: "ignored",
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ ...key, active: false });
    expect(sim.credentials(TENANT, user.user_id ?? "")[0]?.active).toBe(false);
  });

  it("answers 400 without tenant_id and user_id, without a required field, or for another key", async () => {
    const { user, keys } = userWithKeys(2);
    const [key, other] = keys as [OsisS3Credential, OsisS3Credential];
    const bare = `/s3credentials/${key.access_key}`;
    expect((await call("PATCH", bare, { ...key, active: false })).status).toBe(400);
    expect((await call("PATCH", `${bare}?tenant_id=${TENANT}`, key)).status).toBe(400);
    const { secret_key: _secret, ...withoutSecret } = key;
    const missing = await call("PATCH", keyPath(user, key), { ...withoutSecret, active: false });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ code: "E_BAD_REQUEST" });
    expect((await call("PATCH", keyPath(user, key), { ...other, active: false })).status).toBe(400);
    expect((await call("PATCH", keyPath(user, key), { ...key, active: "no" })).status).toBe(400);
    expect((await call("PATCH", keyPath(user, key), "{", "text/plain")).status).toBe(415);
    expect(sim.credentials(TENANT, user.user_id ?? "").every((k) => k.active)).toBe(true);
  });

  it("answers 404 for a key the query's user does not hold", async () => {
    const { keys } = userWithKeys(1);
    const { user: stranger } = userWithKeys(0);
    const [key] = keys as [OsisS3Credential];
    expect((await call("PATCH", keyPath(stranger, key), { ...key, active: false })).status).toBe(
      404,
    );
  });

  it("answers 501 when the platform does not offer it, switched over the control surface", async () => {
    const { user, keys } = userWithKeys(1);
    const [key] = keys as [OsisS3Credential];
    const control = (body: unknown) =>
      fetch(`${sim.url}/__simulator/switches`, { method: "PUT", body: JSON.stringify(body) });
    expect(await (await control({ credentialStatusSupported: false })).json()).toEqual({
      keysFollowUser: false,
      credentialStatusSupported: false,
    });
    const answer = await call("PATCH", keyPath(user, key), { ...key, active: false });
    expect(answer.status).toBe(501);
    expect(await answer.json()).toMatchObject({ code: "E_NOT_IMPLEMENTED" });
    expect((await control({ credentialStatusSupported: "yes" })).status).toBe(400);
    await control({ credentialStatusSupported: true });
    expect(sim.credentials(TENANT, user.user_id ?? "")[0]?.active).toBe(true);
  });
});

describe("OSIS simulator: deleteCredential", () => {
  it("answers 204 and forgets the key; 400 without the owner; 404 for an unknown key", async () => {
    const { user, keys } = userWithKeys(1);
    const [key] = keys as [OsisS3Credential];
    expect((await call("DELETE", `/s3credentials/${key.access_key}`)).status).toBe(400);
    expect((await call("DELETE", keyPath(user, key))).status).toBe(204);
    expect(sim.credentials(TENANT, user.user_id ?? "")).toEqual([]);
    expect((await call("DELETE", keyPath(user, key))).status).toBe(404);
  });
});

describe("OSIS simulator: keys that follow their user", () => {
  it("with keysFollowUser, updateUserStatus sets every key of the user; without, none", async () => {
    for (const follow of [true, false]) {
      sim.switches.keysFollowUser = follow;
      const { user } = userWithKeys(2);
      const answer = await call("PATCH", `/tenants/${TENANT}/users/${user.user_id}`, {
        ...user,
        active: false,
      });
      expect(answer.status).toBe(200);
      const active = sim.credentials(TENANT, user.user_id ?? "").map((key) => key.active);
      expect(active).toEqual(follow ? [false, false] : [true, true]);
    }
    sim.switches.keysFollowUser = false;
  });

  it("seeds, reads and hand-edits keys over the control surface", async () => {
    const { user } = userWithKeys(0);
    const seeded = await fetch(`${sim.url}/__simulator/credentials`, {
      method: "POST",
      body: JSON.stringify({ tenant_id: TENANT, user_id: user.user_id, access_key: "AKHAND0001" }),
    });
    expect(seeded.status).toBe(201);
    const edit = await fetch(`${sim.url}/__simulator/credentials/AKHAND0001`, {
      method: "PATCH",
      body: JSON.stringify({ active: false }),
    });
    expect(await edit.json()).toMatchObject({ access_key: "AKHAND0001", active: false });
    const listed = await fetch(`${sim.url}/__simulator/credentials/${TENANT}/${user.user_id}`);
    expect(await listed.json()).toMatchObject({
      items: [{ access_key: "AKHAND0001", active: false }],
    });
    const orphan = await fetch(`${sim.url}/__simulator/credentials`, {
      method: "POST",
      body: JSON.stringify({ tenant_id: TENANT, user_id: "nobody" }),
    });
    expect(orphan.status).toBe(400);
  });
});
