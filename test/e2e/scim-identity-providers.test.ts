import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../local/running-local-stack.ts";
import { startTestStack, stateOf, type TestStack } from "./local-stack-harness.ts";
import { demoPerson, PATCH_OP, scim } from "./scim-harness.ts";

/**
 * Okta's and Microsoft Entra's request sequences, as each identity provider sends them,
 * replayed against the local stack's SCIM endpoint (docs/scim.md says which provisioning
 * actions each has turned on).
 */
const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";

let running: TestStack;
let stack: LocalStack;

beforeAll(async () => {
  running = await startTestStack();
  stack = running.stack;
});
afterAll(async () => {
  await stack?.stop();
});

const drained = () => stack.waitUntilDrained({ timeoutMs: 20_000 });

describe("Okta", () => {
  it("passes the checks of Okta's SPEC run", async () => {
    const first = await scim(stack, "GET", "/Users?count=1&startIndex=1");
    expect(first.status).toBe(200);
    expect(first.body.Resources[0]).toMatchObject({
      id: expect.any(String),
      userName: expect.any(String),
      active: expect.any(Boolean),
      name: { givenName: expect.any(String), familyName: expect.any(String) },
      emails: [{ value: expect.any(String) }],
    });
    const nobody = await scim(
      stack,
      "GET",
      `/Users?filter=${encodeURIComponent(`userName eq "${randomUUID()}@example.com"`)}&startIndex=1&count=100`,
    );
    expect(nobody.body).toMatchObject({ totalResults: 0 });
    const unknown = await scim(stack, "GET", `/Users/${randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status: "404", detail: expect.any(String) });
    const upper = await scim(stack, "GET", '/Users?filter=userName eq "ASMITH"');
    expect(upper.status).toBe(200);
    expect(upper.body.totalResults).toBe(1);
    const badToken = await scim(stack, "GET", "/Users", {
      token: "not-the-token-not-the-token-0000",
    });
    expect(badToken.status).toBe(401);
    expect(badToken.body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
  });

  it("an OIN app: matches by userName, links with POST (then 409), reads, deactivates with a no-path PATCH, reads 200 inactive", async () => {
    const jdoe = demoPerson("jdoe");
    const match = await scim(
      stack,
      "GET",
      `/Users?filter=${encodeURIComponent('userName eq "jdoe@acme.example"')}&startIndex=1&count=100`,
    );
    // Okta's username is often the email; the platform's login is jdoe: no match, so it POSTs.
    expect(match.body.totalResults).toBe(0);
    const user = {
      schemas: [USER_SCHEMA],
      userName: "jdoe",
      name: { givenName: "John", familyName: "Doe" },
      emails: [{ primary: true, value: "jdoe@acme.example", type: "work" }],
      displayName: "John Doe",
      locale: "en-US",
      externalId: "00u1okta0jdoe",
      groups: [],
      password: "not-kept-anywhere",
      active: true,
    };
    const created = await scim(stack, "POST", "/Users", { body: user });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: jdoe.accountUserId, active: true });
    expect((await scim(stack, "POST", "/Users", { body: user })).status).toBe(409);
    const read = await scim(stack, "GET", `/Users/${jdoe.accountUserId}`);
    expect(read.body).toMatchObject({ userName: "jdoe", externalId: "00u1okta0jdoe" });

    const deactivated = await scim(stack, "PATCH", `/Users/${jdoe.accountUserId}`, {
      body: { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: false } }] },
    });
    expect(deactivated.status).toBe(200);
    const readAfter = await scim(stack, "GET", `/Users/${jdoe.accountUserId}`);
    expect(readAfter.status).toBe(200);
    expect(readAfter.body.active).toBe(false);
    await drained();
    expect(stateOf(stack, jdoe)).toEqual({ enabled: false, active: false });
  });

  it("a custom app: GETs the user, then PUTs the whole user with active false", async () => {
    const asmith = demoPerson("asmith");
    const found = await scim(stack, "GET", '/Users?filter=userName eq "asmith"');
    const current = found.body.Resources[0];
    const put = await scim(stack, "PUT", `/Users/${asmith.accountUserId}`, {
      body: { ...current, active: false, title: "Leaver", meta: undefined },
    });
    expect(put.status).toBe(200);
    expect(put.body.active).toBe(false);
    await drained();
    expect(stateOf(stack, asmith)).toEqual({ enabled: false, active: false });
  });
});

describe("Microsoft Entra", () => {
  it("test connection: a random GUID with + for spaces, no paging, no Accept header: 200 and an empty list", async () => {
    const answer = await scim(stack, "GET", `/Users?filter=userName+eq+"${randomUUID()}"`, {
      headers: { accept: "" },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
  });

  it('a cycle: matches by userName, updates with Add and dotted or URN no-path keys, disables with "False", keeps the user readable, deletes 30 days later', async () => {
    const jdoe2 = demoPerson("jdoe2");
    const match = await scim(stack, "GET", "/Users?filter=userName+eq+%22jdoe2%22");
    expect(match.body.Resources.map((user: { id: string }) => user.id)).toEqual([
      jdoe2.accountUserId,
    ]);
    const update = await scim(stack, "PATCH", `/Users/${jdoe2.accountUserId}`, {
      headers: { "content-type": "application/json; charset=utf-8" },
      body: {
        schemas: [PATCH_OP],
        Operations: [
          { op: "Add", path: "externalId", value: "jdoe2-mailnickname" },
          { op: "Add", path: "displayName", value: "Jane Doerr" },
          {
            op: "Replace",
            value: {
              "name.givenName": "Jane",
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "Sales",
              [`${USER_SCHEMA}:title`]: "Buyer",
            },
          },
        ],
      },
    });
    expect(update.status).toBe(200);
    expect(update.body).toMatchObject({ externalId: "jdoe2-mailnickname", active: true });
    expect(await stack.queueDepth()).toMatchObject({ visible: 0, inFlight: 0 });
    const byExternalId = await scim(
      stack,
      "GET",
      '/Users?filter=externalId+eq+"jdoe2-mailnickname"',
    );
    expect(byExternalId.body.totalResults).toBe(1);

    const disabled = await scim(stack, "PATCH", `/Users/${jdoe2.accountUserId}`, {
      body: {
        schemas: [PATCH_OP],
        Operations: [{ op: "Replace", path: "active", value: "False" }],
      },
    });
    expect(disabled.body.active).toBe(false);
    await drained();
    expect(stateOf(stack, jdoe2)).toEqual({ enabled: false, active: false });
    const stillThere = await scim(stack, "GET", `/Users/${jdoe2.accountUserId}`);
    expect(stillThere.status).toBe(200);
    expect(stillThere.body.active).toBe(false);
    const noPathUrn = await scim(stack, "PATCH", `/Users/${jdoe2.accountUserId}`, {
      body: {
        schemas: [PATCH_OP],
        Operations: [{ op: "replace", value: { [`${USER_SCHEMA}:active`]: "False" } }],
      },
    });
    expect(noPathUrn.status).toBe(200);

    expect((await scim(stack, "DELETE", `/Users/${jdoe2.accountUserId}`)).status).toBe(204);
    expect((await scim(stack, "GET", `/Users/${jdoe2.accountUserId}`)).status).toBe(404);
    await drained();
    expect(stateOf(stack, jdoe2)).toEqual({ enabled: false, active: false });
  });
});
