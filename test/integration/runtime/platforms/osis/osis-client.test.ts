import { randomUUID } from "node:crypto";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OsisSimulator } from "../../../../../local/simulators/osis/osis-simulator.ts";
import {
  type OsisCredentials,
  osisCredentialsShape,
} from "../../../../../shared/runtime/credentials/secret-shapes.ts";
import { SecretsManagerCredentialSource } from "../../../../../shared/runtime/credentials/secrets-manager-credential-source.ts";
import { StaticCredentialSource } from "../../../../../shared/runtime/credentials/static-credential-source.ts";
import {
  NotAppliedError,
  NotFoundError,
  RateLimitedError,
  RejectedError,
  UnauthorizedError,
  UnavailableError,
  UnsupportedError,
} from "../../../../../shared/runtime/errors/platform-errors.ts";
import {
  OsisClient,
  type OsisClientOptions,
} from "../../../../../shared/runtime/platforms/osis/osis-client.ts";
import { failureOf } from "../helpers.ts";

const BASIC = { username: "osis-admin", password: "osis-password" };
const TOKEN = "osis-bearer-token";
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

function client(options: Partial<OsisClientOptions> = {}, on: OsisSimulator = sim): OsisClient {
  return new OsisClient({
    url: on.url,
    basePath: on.basePath,
    credentials: new StaticCredentialSource<OsisCredentials>(BASIC),
    retryBaseMs: 10,
    ...options,
  });
}

function seed(on: OsisSimulator = sim, extra: Record<string, unknown> = {}) {
  const cdUserId = `u-${randomUUID().slice(0, 8)}`;
  return on.seedUser({
    tenant_id: TENANT,
    cd_user_id: cdUserId,
    cd_tenant_id: CD_TENANT,
    ...extra,
  });
}

describe("OsisClient: reads", () => {
  it("gets a user with Basic auth and with a bearer token", async () => {
    const user = seed();
    const userId = user.user_id ?? user.cd_user_id;
    await expect(client().getUser(TENANT, userId)).resolves.toMatchObject({
      cd_user_id: user.cd_user_id,
    });
    const bearer = client({
      credentials: new StaticCredentialSource<OsisCredentials>({ token: TOKEN }),
    });
    await expect(bearer.getUser(TENANT, userId)).resolves.toMatchObject({
      cd_user_id: user.cd_user_id,
    });
  });

  it("a missing user is NotFoundError", async () => {
    const error = await failureOf(client().getUser(TENANT, "nobody"));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ platform: "osis", operation: "getUser", status: 404 });
  });

  it("queries with key==value;key==value and reads every page", async () => {
    const cdTenant = randomUUID();
    const seeded = Array.from({ length: 5 }, () => seed(sim, { cd_tenant_id: cdTenant }));
    seed(); // another cd tenant: not matched
    const users = await client({ pageSize: 2 }).queryUsers({ cd_tenant_id: cdTenant });
    expect(users.map((u) => u.cd_user_id).sort()).toEqual(seeded.map((u) => u.cd_user_id).sort());
    expect(sim.calls.count("queryUsers")).toBe(3);

    const [first] = seeded;
    const one = await client().queryUsers({
      cd_tenant_id: cdTenant,
      cd_user_id: first?.cd_user_id ?? "",
    });
    expect(one.map((u) => u.cd_user_id)).toEqual([first?.cd_user_id]);
  });

  it("stops reading pages at maxPages", async () => {
    const cdTenant = randomUUID();
    for (let i = 0; i < 4; i += 1) seed(sim, { cd_tenant_id: cdTenant });
    const error = await failureOf(
      client({ pageSize: 1, maxPages: 2 }).queryUsers({ cd_tenant_id: cdTenant }),
    );
    expect(error).toBeInstanceOf(RejectedError);
    expect(sim.calls.count("queryUsers")).toBe(2);
  });

  it("retries reads on 5xx, honouring Retry-After (seconds and HTTP date)", async () => {
    const user = seed();
    sim.faults.add({ operation: "getUser", status: 503, retryAfter: "1" });
    sim.faults.add({
      operation: "getUser",
      status: 503,
      retryAfter: new Date(Date.now() + 1_000).toUTCString(),
    });
    await expect(client().getUser(TENANT, user.cd_user_id)).resolves.toMatchObject({
      cd_user_id: user.cd_user_id,
    });
    const calls = sim.calls.all().filter((c) => c.operation === "getUser");
    expect(calls.map((c) => c.status)).toEqual([503, 503, 200]);
    expect((calls[1]?.startedAt ?? 0) - (calls[0]?.endedAt ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("429 without retries left is RateLimitedError with retryAfterMs", async () => {
    const user = seed();
    sim.faults.add({ operation: "getUser", status: 429, retryAfter: "2" });
    const error = await failureOf(client({ readRetries: 0 }).getUser(TENANT, user.cd_user_id));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ retryAfterMs: 2_000 });
  });

  it("times out a slow answer as UnavailableError", async () => {
    const user = seed();
    sim.faults.add({ operation: "getUser", latencyMs: 1_500, times: 2 });
    const error = await failureOf(
      client({ timeoutMs: 150, readRetries: 1 }).getUser(TENANT, user.cd_user_id),
    );
    expect(error).toBeInstanceOf(UnavailableError);
  });

  it("never assumes an error body is OsisError", async () => {
    const user = seed();
    sim.faults.add({
      operation: "getUser",
      status: 400,
      body: "<html>oops</html>",
      contentType: "text/html",
    });
    const html = await failureOf(client().getUser(TENANT, user.cd_user_id));
    expect(html).toBeInstanceOf(RejectedError);
    expect(html).toMatchObject({ status: 400, code: undefined, platformMessage: "oops" });

    sim.faults.add({
      operation: "getUser",
      status: 400,
      body: '{"error":{"code":7,"message":"odd"}}',
      contentType: "application/json",
    });
    const other = await failureOf(client().getUser(TENANT, user.cd_user_id));
    expect(other).toMatchObject({ status: 400, code: "7", platformMessage: "odd" });

    sim.faults.add({ operation: "getUser", status: 500, body: "", contentType: "text/plain" });
    const empty = await failureOf(client({ readRetries: 0 }).getUser(TENANT, user.cd_user_id));
    expect(empty).toBeInstanceOf(UnavailableError);
  });

  it("keeps an OsisError's code and message", async () => {
    const user = seed();
    sim.faults.add({ operation: "getUser", status: 400 });
    const error = await failureOf(client().getUser(TENANT, user.cd_user_id));
    expect(error).toBeInstanceOf(RejectedError);
    expect(typeof (error as RejectedError).code).toBe("string");
  });
});

describe("OsisClient: setActive", () => {
  it("deactivates with a complete OsisUser body read first", async () => {
    const user = seed();
    const updated = await client().setActive(TENANT, user.cd_user_id, false);
    expect(updated).toMatchObject({ cd_user_id: user.cd_user_id, active: false });
    expect(sim.user(TENANT, user.cd_user_id)).toMatchObject({ active: false });
    expect(sim.calls.count("getUser")).toBe(1);
    expect(sim.calls.count("setActive")).toBe(1);
  });

  it("uses the user just read when given, without reading again", async () => {
    const user = seed();
    const osis = client();
    const current = await osis.getUser(TENANT, user.cd_user_id);
    sim.calls.clear();
    await osis.setActive(TENANT, user.cd_user_id, false, { current });
    await osis.setActive(TENANT, user.cd_user_id, true, { current: { ...current, active: false } });
    expect(sim.user(TENANT, user.cd_user_id)).toMatchObject({ active: true });
    expect(sim.calls.count("getUser")).toBe(0);
  });

  it("accepts 201 from the older revision under /osis/api/v1", async () => {
    const older = await OsisSimulator.start({ basic: [BASIC], basePath: "/osis/api/v1" });
    try {
      const user = seed(older);
      await expect(
        client({}, older).setActive(TENANT, user.cd_user_id, false),
      ).resolves.toMatchObject({
        active: false,
      });
      expect(older.calls.all().find((c) => c.operation === "setActive")?.status).toBe(201);
      expect(older.user(TENANT, user.cd_user_id)).toMatchObject({ active: false });
    } finally {
      await older.stop();
    }
  });

  it("a success that still shows the user active is NotAppliedError", async () => {
    const user = seed();
    sim.faults.add({
      operation: "setActive",
      status: 200,
      body: JSON.stringify({ ...user, active: true }),
      contentType: "application/json",
    });
    const error = await failureOf(client().setActive(TENANT, user.cd_user_id, false));
    expect(error).toBeInstanceOf(NotAppliedError);
    expect(error.message).toContain("not_applied");
  });

  it("a success without `active` means active: fine to activate, not applied to deactivate", async () => {
    const user = seed();
    const { active: _ignored, ...withoutActive } = user;
    const body = JSON.stringify(withoutActive);
    sim.faults.add({ operation: "setActive", status: 200, body, contentType: "application/json" });
    const answered = await client().setActive(TENANT, user.cd_user_id, true);
    expect(answered).toEqual(withoutActive);
    expect(answered).not.toHaveProperty("active");
    sim.faults.add({ operation: "setActive", status: 200, body, contentType: "application/json" });
    await expect(
      failureOf(client().setActive(TENANT, user.cd_user_id, false)),
    ).resolves.toBeInstanceOf(NotAppliedError);
  });

  it("501 is UnsupportedError", async () => {
    const bare = await OsisSimulator.start({ basic: [BASIC], supportsStatus: false });
    try {
      const user = seed(bare);
      const error = await failureOf(client({}, bare).setActive(TENANT, user.cd_user_id, false));
      expect(error).toBeInstanceOf(UnsupportedError);
      expect(error).toMatchObject({ status: 501 });
    } finally {
      await bare.stop();
    }
  });

  it("is not retried by the HTTP client on 503", async () => {
    const user = seed();
    sim.faults.add({ operation: "setActive", status: 503, times: 5 });
    const error = await failureOf(
      client({ readRetries: 3 }).setActive(TENANT, user.cd_user_id, false),
    );
    expect(error).toBeInstanceOf(UnavailableError);
    expect(sim.calls.count("setActive")).toBe(1);
  });

  it("is asked again when refused with 429, and not past the bounded retries", async () => {
    const user = seed();
    sim.faults.add({ operation: "setActive", status: 429, retryAfter: "1" });
    await client().setActive(TENANT, user.cd_user_id, false);
    expect(sim.calls.count("setActive")).toBe(2);
    await expect(client().getUser(TENANT, user.cd_user_id)).resolves.toMatchObject({
      active: false,
    });

    sim.faults.add({ operation: "setActive", status: 429, times: 5 });
    const spent = await failureOf(
      client({ readRetries: 1 }).setActive(TENANT, user.cd_user_id, true),
    );
    expect(spent).toBeInstanceOf(RateLimitedError);
    expect(sim.calls.count("setActive")).toBe(2 + 2);
  });

  it("a lost answer is UnavailableError, and a re-read shows it applied", async () => {
    const user = seed();
    sim.faults.add({ operation: "setActive", reset: "after-apply" });
    const osis = client();
    const error = await failureOf(osis.setActive(TENANT, user.cd_user_id, false));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(sim.calls.count("setActive")).toBe(1);
    await expect(osis.getUser(TENANT, user.cd_user_id)).resolves.toMatchObject({ active: false });
  });

  it("a missing user is NotFoundError", async () => {
    const error = await failureOf(
      client().setActive(TENANT, "nobody", false, {
        current: { tenant_id: TENANT, cd_user_id: "nobody", cd_tenant_id: CD_TENANT },
      }),
    );
    expect(error).toBeInstanceOf(NotFoundError);
  });
});

describe("OsisClient: credentials", () => {
  it("on a 401, reads the secret again once and retries (rotation)", async () => {
    const secretsManager = mockClient(SecretsManagerClient);
    try {
      secretsManager
        .on(GetSecretValueCommand)
        .resolvesOnce({ SecretString: JSON.stringify({ ...BASIC, password: "stale" }) })
        .resolves({ SecretString: JSON.stringify(BASIC) });
      const credentials = new SecretsManagerCredentialSource({
        client: new SecretsManagerClient({ region: "us-east-1" }),
        secretId: "osis",
        shape: osisCredentialsShape,
      });
      const user = seed();
      await expect(client({ credentials }).getUser(TENANT, user.cd_user_id)).resolves.toMatchObject(
        {
          cd_user_id: user.cd_user_id,
        },
      );
      expect(
        sim.calls
          .all()
          .filter((c) => c.operation === "getUser")
          .map((c) => c.status),
      ).toEqual([401, 200]);
    } finally {
      secretsManager.restore();
    }
  });

  it("still refused after the re-read is UnauthorizedError; replacing the secret recovers", async () => {
    const user = seed();
    const credentials = new StaticCredentialSource<OsisCredentials>({
      ...BASIC,
      password: "wrong",
    });
    const osis = client({ credentials });
    const error = await failureOf(osis.setActive(TENANT, user.cd_user_id, false));
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ status: 401 });
    credentials.replace(BASIC);
    await expect(osis.setActive(TENANT, user.cd_user_id, false)).resolves.toMatchObject({
      active: false,
    });
  });
});
