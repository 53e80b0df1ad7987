import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendToWebhook } from "../../local/local-webhook.ts";
import type { LocalStack } from "../../local/running-local-stack.ts";
import { SCIM_SOURCE } from "../../shared/runtime/events/source-ownership.ts";
import {
  event,
  FAST_TUNING,
  startTestStack,
  stateOf,
  type TestStack,
} from "./local-stack-harness.ts";
import { demoPerson, entraActive, oktaActive, PATCH_OP, scim } from "./scim-harness.ts";

let running: TestStack;
let stack: LocalStack;

beforeAll(async () => {
  running = await startTestStack({ env: { ...FAST_TUNING, PROTECTED_ACCOUNTS: "bchen" } });
  stack = running.stack;
});
afterAll(async () => {
  await stack?.stop();
});

const drained = () => stack.waitUntilDrained({ timeoutMs: 20_000 });
const simulatorControl = (path: string, method: string, body?: unknown) =>
  fetch(`${stack.endpoints.accountPlatform}/__simulator${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe("the SCIM endpoint: authentication and what it serves", () => {
  it("answers 401 with an RFC 7644 error body to a missing, wrong or non-bearer token, whatever the path", async () => {
    for (const [token, path] of [
      [null, "/Users"],
      ["x".repeat(48), "/Users"],
      [`${stack.scimToken}x`, "/Groups"],
    ] as const) {
      const answer = await scim(stack, "GET", path, { token });
      expect(answer.status).toBe(401);
      expect(answer.headers.get("content-type")).toBe("application/scim+json");
      expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(answer.body).toMatchObject({
        schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
        status: "401",
      });
    }
    const basic = await scim(stack, "GET", "/Users", {
      token: null,
      headers: { authorization: `Basic ${Buffer.from(`u:${stack.scimToken}`).toString("base64")}` },
    });
    expect(basic.status).toBe(401);
  });

  it("serves discovery: patch and filter (100) yes, bulk, sort, etag and password no, User only", async () => {
    const config = await scim(stack, "GET", "/ServiceProviderConfig");
    expect(config.status).toBe(200);
    expect(config.body).toMatchObject({
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 100 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [{ type: "oauthbearertoken" }],
    });
    const types = await scim(stack, "GET", "/ResourceTypes");
    expect(types.body.Resources.map((type: { id: string }) => type.id)).toEqual(["User"]);
    const schemas = await scim(stack, "GET", "/Schemas");
    expect(schemas.body.Resources.map((schema: { id: string }) => schema.id)).toContain(
      "urn:ietf:params:scim:schemas:core:2.0:User",
    );
    expect((await scim(stack, "GET", "/ResourceTypes/Group")).status).toBe(404);
  });

  it("answers 404 to Groups and unknown paths, 405 with Allow to a method a path does not take, 415 to a body of another type", async () => {
    const groups = await scim(stack, "GET", "/Groups");
    expect(groups.status).toBe(404);
    expect(groups.body).toMatchObject({ status: "404", detail: expect.stringMatching(/Groups/) });
    expect((await scim(stack, "GET", "/Nothing/here")).status).toBe(404);
    const wrongMethod = await scim(stack, "DELETE", "/Users");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("GET, POST");
    const jdoe = demoPerson("jdoe");
    const text = await scim(stack, "PATCH", `/Users/${jdoe.accountUserId}`, {
      body: JSON.stringify(oktaActive(false)),
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(415);
    const charset = await scim(stack, "PATCH", `/Users/${jdoe.accountUserId}`, {
      body: { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "nickName", value: "J" }] },
      headers: { "content-type": "application/json; charset=utf-8" },
    });
    expect(charset.status).toBe(200);
    expect(charset.body.active).toBe(true);
  });
});

describe("the SCIM endpoint: reading the tenant's users", () => {
  it("pages over the tenant's users with integer counts, a user outside the tenant left out", async () => {
    const all = await scim(stack, "GET", "/Users");
    expect(all.status).toBe(200);
    // Five demo people are in the configured tenant; ojones is in another.
    expect(all.body).toMatchObject({ totalResults: 5, startIndex: 1, itemsPerPage: 5 });
    expect(all.body.Resources.map((user: { userName: string }) => user.userName)).not.toContain(
      "ojones",
    );
    const page = await scim(stack, "GET", "/Users?startIndex=2&count=2");
    expect(page.body).toMatchObject({ totalResults: 5, startIndex: 2, itemsPerPage: 2 });
    const one = await scim(stack, "GET", "/Users?count=1");
    const [user] = one.body.Resources;
    expect(user).toMatchObject({
      id: expect.any(String),
      userName: expect.any(String),
      name: { givenName: expect.any(String), familyName: expect.any(String) },
      emails: [{ value: expect.any(String) }],
      active: expect.any(Boolean),
      meta: { resourceType: "User", location: `${stack.endpoints.scim}/Users/${user.id}` },
    });
  });

  it("filters by userName in any case, by id, by both; an unknown value is an empty 200, an unserved filter 400 invalidFilter", async () => {
    const jdoe = demoPerson("jdoe");
    const upper = await scim(stack, "GET", '/Users?filter=userName eq "JDOE"');
    expect(upper.body).toMatchObject({ totalResults: 1, itemsPerPage: 1 });
    expect(upper.body.Resources[0]).toMatchObject({ id: jdoe.accountUserId, userName: "jdoe" });
    const both = await scim(
      stack,
      "GET",
      `/Users?filter=${encodeURIComponent(`userName eq "jdoe" and id eq "${jdoe.accountUserId}"`)}`,
    );
    expect(both.body.totalResults).toBe(1);
    const neither = await scim(
      stack,
      "GET",
      `/Users?filter=${encodeURIComponent(`userName eq "jdoe2" and id eq "${jdoe.accountUserId}"`)}`,
    );
    expect(neither.body).toMatchObject({ totalResults: 0, Resources: [] });
    // Microsoft Entra's test connection: a random GUID, `+` for the spaces, no paging.
    const entra = await scim(
      stack,
      "GET",
      '/Users?filter=userName+eq+"7f1c2e3d-4b5a-6978-8c9d-0e1f2a3b4c5d"',
    );
    expect(entra.status).toBe(200);
    expect(entra.body).toMatchObject({ totalResults: 0, startIndex: 1, itemsPerPage: 0 });
    const outside = await scim(stack, "GET", '/Users?filter=userName eq "ojones"');
    expect(outside.body.totalResults).toBe(0);
    const unserved = await scim(stack, "GET", '/Users?filter=title eq "boss"');
    expect(unserved.status).toBe(400);
    expect(unserved.body).toMatchObject({ status: "400", scimType: "invalidFilter" });
    expect((await scim(stack, "GET", "/Users/no-such-user")).status).toBe(404);
    expect((await scim(stack, "GET", `/Users/${demoPerson("ojones").accountUserId}`)).status).toBe(
      404,
    );
  });
});

describe("the SCIM endpoint: writes become lifecycle events", () => {
  it("Okta's no-path PATCH deactivates on both platforms; read back at once it shows inactive; an onboard PATCH re-enables", async () => {
    const jdoe = demoPerson("jdoe");
    const patched = await scim(stack, "PATCH", `/Users/${jdoe.accountUserId}`, {
      body: oktaActive(false),
    });
    expect(patched.status).toBe(200);
    expect(patched.body.active).toBe(false);
    const readBack = await scim(stack, "GET", '/Users?filter=userName eq "jdoe"');
    expect(readBack.body.Resources[0].active).toBe(false);
    await drained();
    expect(stateOf(stack, jdoe)).toEqual({ enabled: false, active: false });
    const again = await scim(stack, "PATCH", `/Users/${jdoe.accountUserId}`, {
      body: oktaActive(false),
    });
    expect(again.status).toBe(200);
    expect(await stack.queueDepth()).toMatchObject({ visible: 0, inFlight: 0 });

    await scim(stack, "PATCH", `/Users/${jdoe.accountUserId}`, { body: oktaActive(true) });
    await drained();
    expect(stateOf(stack, jdoe)).toEqual({ enabled: true, active: true });
    const person = await stack.ledger.getPerson(`scim:${jdoe.accountUserId}`);
    expect(person?.history.filter((entry) => entry.source === SCIM_SOURCE)).toHaveLength(2);
  });

  it('Entra\'s string booleans: "False" deactivates (it is truthy in JavaScript), "True" re-enables', async () => {
    const jdoe2 = demoPerson("jdoe2");
    const off = await scim(stack, "PATCH", `/Users/${jdoe2.accountUserId}`, {
      body: entraActive(false),
    });
    expect(off.body.active).toBe(false);
    await drained();
    expect(stateOf(stack, jdoe2)).toEqual({ enabled: false, active: false });
    const on = await scim(stack, "PATCH", `/Users/${jdoe2.accountUserId}`, {
      body: entraActive(true),
    });
    expect(on.body.active).toBe(true);
    await drained();
    expect(stateOf(stack, jdoe2)).toEqual({ enabled: true, active: true });
  });

  it("shows the decided state while the platform write keeps failing, and the platform catches up once it answers", async () => {
    const jdoe = demoPerson("jdoe");
    await simulatorControl("/faults", "POST", {
      operation: "setEnabled",
      status: 503,
      times: "Infinity",
    });
    try {
      const patched = await scim(stack, "PUT", `/Users/${jdoe.accountUserId}`, {
        body: {
          schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
          userName: "jdoe",
          active: "False",
        },
      });
      expect(patched.status).toBe(200);
      expect(patched.body.active).toBe(false);
      // The consumer tries and fails meanwhile; the answer stays what was decided.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(stack.platforms.accountPlatform.simulator?.user(jdoe.accountUserId)?.enabled).toBe(
        true,
      );
      const read = await scim(stack, "GET", `/Users/${jdoe.accountUserId}`);
      expect(read.body.active).toBe(false);
    } finally {
      await simulatorControl("/faults", "DELETE");
    }
    await drained();
    expect(stateOf(stack, jdoe)).toEqual({ enabled: false, active: false });
    await scim(stack, "PATCH", `/Users/${jdoe.accountUserId}`, { body: oktaActive(true) });
    await drained();
  });

  it("answers 503 with Retry-After while the account platform is down, and queues nothing", async () => {
    const asmith = demoPerson("asmith");
    await simulatorControl("/outage", "PUT", { mode: "503", seconds: 30 });
    try {
      const answer = await scim(stack, "PATCH", `/Users/${asmith.accountUserId}`, {
        body: oktaActive(false),
      });
      expect(answer.status).toBe(503);
      expect(answer.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(answer.body).toMatchObject({ status: "503" });
    } finally {
      await simulatorControl("/outage", "DELETE");
    }
    expect(await stack.queueDepth()).toMatchObject({ visible: 0, inFlight: 0 });
    expect(stateOf(stack, asmith).enabled).toBe(true);
  });

  it("refuses a protected account and a user outside the tenant with 403 and the reason, queueing nothing", async () => {
    const bchen = demoPerson("bchen");
    const protectedAnswer = await scim(stack, "PATCH", `/Users/${bchen.accountUserId}`, {
      body: oktaActive(false),
    });
    expect(protectedAnswer.status).toBe(403);
    expect(protectedAnswer.body.detail).toMatch(/protected account/);
    const deleted = await scim(stack, "DELETE", `/Users/${bchen.accountUserId}`);
    expect(deleted.status).toBe(403);
    const ojones = demoPerson("ojones");
    const outside = await scim(stack, "PATCH", `/Users/${ojones.accountUserId}`, {
      body: oktaActive(false),
    });
    expect(outside.status).toBe(403);
    expect(outside.body.detail).toMatch(/outside the configured tenant/);
    expect(await stack.queueDepth()).toMatchObject({ visible: 0, inFlight: 0 });
    expect(stateOf(stack, bchen).enabled).toBe(true);
    expect((await scim(stack, "GET", `/Users/${bchen.accountUserId}`)).body.active).toBe(true);
  });

  it("POST links an existing account (201, then 409 uniqueness), refuses a login with no account (400 invalidValue), and finds it by externalId", async () => {
    const mgarcia = demoPerson("mgarcia");
    const body = {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "MGarcia",
      externalId: "00u1mgarcia",
      active: false,
      name: { givenName: "Maria", familyName: "Garcia" },
    };
    const created = await scim(stack, "POST", "/Users", { body });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(
      `${stack.endpoints.scim}/Users/${mgarcia.accountUserId}`,
    );
    expect(created.body).toMatchObject({
      id: mgarcia.accountUserId,
      externalId: "00u1mgarcia",
      active: false,
    });
    const again = await scim(stack, "POST", "/Users", { body });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ status: "409", scimType: "uniqueness" });
    const nobody = await scim(stack, "POST", "/Users", { body: { ...body, userName: "nobody" } });
    expect(nobody.status).toBe(400);
    expect(nobody.body).toMatchObject({
      scimType: "invalidValue",
      detail: expect.stringMatching(/created on the account platform/),
    });
    const byExternalId = await scim(stack, "GET", '/Users?filter=externalId eq "00u1mgarcia"');
    expect(byExternalId.body.Resources.map((user: { id: string }) => user.id)).toEqual([
      mgarcia.accountUserId,
    ]);
    // mgarcia was already disabled: linking inactive sends nothing.
    expect(await stack.queueDepth()).toMatchObject({ visible: 0, inFlight: 0 });
  });

  it("DELETE disables (not deletes), answers 204, then 404 and out of every query until POST links it again", async () => {
    const jdoe2 = demoPerson("jdoe2");
    expect((await scim(stack, "DELETE", `/Users/${jdoe2.accountUserId}`)).status).toBe(204);
    await drained();
    expect(stateOf(stack, jdoe2)).toEqual({ enabled: false, active: false });
    expect(stack.platforms.accountPlatform.simulator?.user(jdoe2.accountUserId)).toBeDefined();
    expect((await scim(stack, "GET", `/Users/${jdoe2.accountUserId}`)).status).toBe(404);
    expect(
      (await scim(stack, "PATCH", `/Users/${jdoe2.accountUserId}`, { body: oktaActive(true) }))
        .status,
    ).toBe(404);
    expect((await scim(stack, "GET", '/Users?filter=userName eq "jdoe2"')).body.totalResults).toBe(
      0,
    );
    expect((await scim(stack, "GET", "/Users")).body.totalResults).toBe(4);
    const relinked = await scim(stack, "POST", "/Users", {
      body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "jdoe2" },
    });
    expect(relinked.status).toBe(201);
    expect(relinked.body.active).toBe(true);
    await drained();
    expect(stateOf(stack, jdoe2)).toEqual({ enabled: true, active: true });
    expect((await scim(stack, "GET", "/Users")).body.totalResults).toBe(5);
  });

  it("judges an HR offboard and a later SCIM onboard of the same person in one order, under the HR subject", async () => {
    const asmith = demoPerson("asmith");
    await sendToWebhook(
      { url: stack.endpoints.webhook, secret: stack.webhookSecret },
      event("user.offboarded", asmith.employeeId, {
        accountPlatform: { userId: asmith.accountUserId },
        osis: { cdUserId: asmith.login },
      }),
    );
    await drained();
    expect(stateOf(stack, asmith)).toEqual({ enabled: false, active: false });
    const shown = await scim(stack, "GET", `/Users/${asmith.accountUserId}`);
    expect(shown.body.active).toBe(false);

    const onboard = await scim(stack, "PATCH", `/Users/${asmith.accountUserId}`, {
      body: entraActive(true),
    });
    expect(onboard.body.active).toBe(true);
    await drained();
    expect(stateOf(stack, asmith)).toEqual({ enabled: true, active: true });
    const person = await stack.ledger.getPerson(asmith.employeeId);
    expect(person?.history.map((entry) => [entry.source, entry.type, entry.outcome])).toEqual([
      [SCIM_SOURCE, "user.onboarded", "applied"],
      ["urn:test:e2e", "user.offboarded", "applied"],
    ]);
    expect(await stack.ledger.getPerson(`scim:${asmith.accountUserId}`)).toBeUndefined();
  });
});
