import { randomUUID } from "node:crypto";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AccountPlatformSimulator } from "../../../../../local/simulators/account-platform/account-platform-simulator.ts";
import type { CredentialSource } from "../../../../../shared/runtime/credentials/credential-source.ts";
import {
  type AccountPlatformCredentials,
  accountPlatformCredentialsShape,
} from "../../../../../shared/runtime/credentials/secret-shapes.ts";
import { SecretsManagerCredentialSource } from "../../../../../shared/runtime/credentials/secrets-manager-credential-source.ts";
import { StaticCredentialSource } from "../../../../../shared/runtime/credentials/static-credential-source.ts";
import {
  AmbiguousUserError,
  CredentialsRefusedError,
  NotFoundError,
  RateLimitedError,
  RejectedError,
  UnauthorizedError,
  UnavailableError,
  VersionConflictError,
} from "../../../../../shared/runtime/errors/platform-errors.ts";
import type { CallPace } from "../../../../../shared/runtime/http/call-pace.ts";
import type { PlatformCallRecord } from "../../../../../shared/runtime/http/call-record.ts";
import {
  AccountPlatformClient,
  type AccountPlatformClientOptions,
} from "../../../../../shared/runtime/platforms/account-platform/account-platform-client.ts";
import { createPlatformClients } from "../../../../../shared/runtime/platforms/platform-clients.ts";
import { captureLogs } from "../../../../support/captured-logs.ts";
import { failureOf } from "../helpers.ts";

const CLIENT: AccountPlatformCredentials = { clientId: "hr-sync", clientSecret: "secret-one" };
const ROTATED: AccountPlatformCredentials = { clientId: "hr-sync", clientSecret: "secret-two" };
const TENANT = "ede9f834-70b3-476c-83d9-736f9f8c7dae";

let sim: AccountPlatformSimulator;

beforeAll(async () => {
  sim = await AccountPlatformSimulator.start({ clients: [CLIENT] });
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  sim.faults.clear();
  sim.calls.clear();
});

function client(
  options: Partial<AccountPlatformClientOptions> = {},
  on: AccountPlatformSimulator = sim,
): AccountPlatformClient {
  return new AccountPlatformClient({
    url: on.url,
    credentials: new StaticCredentialSource(CLIENT),
    retryBaseMs: 10,
    ...options,
  });
}

/** A pace that lets everything through and writes down what it was told, in order. */
function recordingPace(): CallPace & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    wait: async () => {
      log.push("wait");
    },
    took: () => {
      log.push("took");
    },
    answered: ({ status }) => {
      log.push(`answered ${status}`);
    },
  };
}

function seed(login = `user-${randomUUID().slice(0, 8)}`, extra: Record<string, unknown> = {}) {
  return sim.seedUser({ login, tenant_id: TENANT, ...extra });
}

/** The gap between the end of one call to an operation and the start of the next. */
function gapsBetween(operation: string): number[] {
  const calls = sim.calls.all().filter((call) => call.operation === operation);
  return calls.slice(1).map((call, i) => call.startedAt - (calls[i]?.endedAt ?? 0));
}

describe("AccountPlatformClient: configuration", () => {
  it("accepts the datacenter URL with or without a trailing /api/2", async () => {
    const user = seed();
    for (const url of [sim.url, `${sim.url}/`, `${sim.url}/api/2`, `${sim.url}/api/2/`]) {
      await expect(client({ url }).getUser(user.id)).resolves.toMatchObject({ id: user.id });
    }
  });
});

describe("AccountPlatformClient: reads", () => {
  it("gets a user, and a missing one is NotFoundError", async () => {
    const user = seed();
    const accounts = client();
    await expect(accounts.getUser(user.id)).resolves.toMatchObject({
      id: user.id,
      login: user.login,
      version: user.version,
      enabled: true,
    });
    const error = await failureOf(accounts.getUser(randomUUID()));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({
      platform: "account-platform",
      operation: "getUser",
      status: 404,
    });
  });

  it("retries a read on 5xx and succeeds", async () => {
    const user = seed();
    sim.faults.add({ operation: "getUser", status: 503, times: 2 });
    await expect(client().getUser(user.id)).resolves.toMatchObject({ id: user.id });
    expect(sim.calls.count("getUser")).toBe(3);
  });

  it("gives up after the bounded retries with UnavailableError", async () => {
    const user = seed();
    sim.faults.add({ operation: "getUser", status: 500, times: 10 });
    const error = await failureOf(client({ readRetries: 2 }).getUser(user.id));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error).toMatchObject({ status: 500 });
    expect(sim.calls.count("getUser")).toBe(3);
  });

  it("retries a read after a connection reset", async () => {
    const user = seed();
    sim.faults.add({ operation: "getUser", reset: "before" });
    await expect(client().getUser(user.id)).resolves.toMatchObject({ id: user.id });
  });

  it("honours Retry-After in seconds on 429", async () => {
    const user = seed();
    sim.faults.add({ operation: "getUser", status: 429, retryAfter: "1" });
    await expect(client().getUser(user.id)).resolves.toMatchObject({ id: user.id });
    expect(sim.calls.count("getUser")).toBe(2);
    expect(gapsBetween("getUser")[0]).toBeGreaterThanOrEqual(950);
  });

  it("waits its turn once per request; a retry takes a turn and every answer is told", async () => {
    const user = seed();
    const pace = recordingPace();
    sim.faults.add({ operation: "getUser", status: 429, retryAfter: "0" });
    await expect(client({ pace }).getUser(user.id)).resolves.toMatchObject({ id: user.id });
    expect(pace.log).toEqual([
      ...["wait", "answered 200"], // the access token
      ...["wait", "answered 429", "took", "answered 200"],
    ]);
  });

  it("honours Retry-After as an HTTP date on 503", async () => {
    const user = seed();
    // Whole seconds: the date form has no finer resolution.
    const at = new Date(Math.ceil((Date.now() + 2_000) / 1000) * 1000);
    sim.faults.add({ operation: "getUser", status: 503, retryAfter: at.toUTCString() });
    await expect(client({ retryCapMs: 5_000 }).getUser(user.id)).resolves.toMatchObject({
      id: user.id,
    });
    const second = sim.calls.all().filter((call) => call.operation === "getUser")[1];
    expect(second?.startedAt).toBeGreaterThanOrEqual(at.getTime() - 50);
  });

  it("hands a Retry-After longer than the cap to the caller instead of waiting", async () => {
    const user = seed();
    sim.faults.add({ operation: "getUser", status: 429, retryAfter: "30" });
    const limited = await failureOf(client({ retryCapMs: 1_000 }).getUser(user.id));
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited).toMatchObject({ status: 429, retryAfterMs: 30_000 });
    expect(sim.calls.count("getUser")).toBe(1);

    const later = new Date(Date.now() + 60_000).toUTCString();
    sim.faults.add({ operation: "getUser", status: 503, retryAfter: later });
    const busy = await failureOf(client({ retryCapMs: 1_000 }).getUser(user.id));
    expect(busy).toBeInstanceOf(UnavailableError);
    expect((busy as UnavailableError).retryAfterMs).toBeGreaterThan(50_000);
  });

  it("answers 429 without retries left as RateLimitedError with retryAfterMs", async () => {
    const user = seed();
    sim.faults.add({ operation: "getUser", status: 429, retryAfter: "1" });
    const error = await failureOf(client({ readRetries: 0 }).getUser(user.id));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ retryAfterMs: 1_000 });
  });

  it("times out a slow answer as UnavailableError", async () => {
    const user = seed();
    sim.faults.add({ operation: "getUser", latencyMs: 1_500 });
    const error = await failureOf(client({ timeoutMs: 150, readRetries: 1 }).getUser(user.id));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toContain("150 ms");
  });

  it("gives a read's retries one deadline: a stalled attempt leaves none for another", async () => {
    const user = seed();
    const calls: PlatformCallRecord[] = [];
    sim.faults.add({ operation: "getUser", latencyMs: 1_500, times: 3 });
    const stalled = client({ timeoutMs: 300, readRetries: 2, onCall: (call) => calls.push(call) });
    const error = await failureOf(stalled.getUser(user.id));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(calls.filter((c) => c.operation === "getUser").map((c) => c.attempts)).toEqual([1]);
  });

  it("reads a non-JSON error body as the platform's message", async () => {
    const user = seed();
    sim.faults.add({
      operation: "getUser",
      status: 400,
      body: "<html><body>oops</body></html>",
      contentType: "text/html",
    });
    const rejected = await failureOf(client().getUser(user.id));
    expect(rejected).toBeInstanceOf(RejectedError);
    expect(rejected).toMatchObject({ status: 400, code: undefined, platformMessage: "oops" });

    sim.faults.add({ operation: "getUser", status: 502, body: "<html>bad gateway</html>" });
    const unavailable = await failureOf(client({ readRetries: 0 }).getUser(user.id));
    expect(unavailable).toBeInstanceOf(UnavailableError);
  });

  it("keeps the platform's error code on other 4xx", async () => {
    const user = seed();
    sim.faults.add({ operation: "getUser", status: 403 });
    const error = await failureOf(client().getUser(user.id));
    expect(error).toBeInstanceOf(RejectedError);
    expect(error).toMatchObject({ status: 403 });
    expect(typeof (error as RejectedError).code).toBe("string");
  });

  it("reports every operation to onCall", async () => {
    const user = seed();
    const records: PlatformCallRecord[] = [];
    sim.faults.add({ operation: "getUser", status: 503 });
    await client({ onCall: (record) => records.push(record) }).getUser(user.id);
    expect(
      records.map(({ operation, status, attempts }) => ({ operation, status, attempts })),
    ).toEqual([
      { operation: "token", status: 200, attempts: 1 },
      { operation: "getUser", status: 200, attempts: 2 },
    ]);
    expect(records.every((r) => r.platform === "account-platform" && r.durationMs >= 0)).toBe(true);
  });
});

describe("AccountPlatformClient: tokens", () => {
  it("sends the client credentials as Basic auth with a form body, and caches the token", async () => {
    const user = seed();
    const accounts = client();
    await accounts.getUser(user.id);
    await accounts.getUser(user.id);
    expect(sim.calls.count("token")).toBe(1);
    expect(sim.calls.count("getUser")).toBe(2);
  });

  it("fetches one token for 50 concurrent callers", async () => {
    const user = seed();
    sim.faults.add({ operation: "token", latencyMs: 100 });
    const accounts = client();
    const users = await Promise.all(Array.from({ length: 50 }, () => accounts.getUser(user.id)));
    expect(users).toHaveLength(50);
    expect(sim.calls.count("token")).toBe(1);
    expect(sim.calls.count("getUser")).toBe(50);
  });

  it("stops waiting for a shared token request when its caller's signal aborts; the others still get the token", async () => {
    const user = seed();
    sim.faults.add({ operation: "token", latencyMs: 400 });
    const accounts = client();
    const impatient = new AbortController();
    const abandoned = accounts.getUser(user.id, impatient.signal);
    const patient = accounts.getUser(user.id);
    setTimeout(() => impatient.abort(), 50);
    const failure = await failureOf(abandoned);
    // Given up while the shared token request was still out, not when it came back.
    expect(sim.calls.count("token")).toBe(0);
    expect(failure).toBeInstanceOf(UnavailableError);
    expect((failure as Error).message).toMatch(/abandoned by the caller/);
    await expect(patient).resolves.toMatchObject({ id: user.id });
    expect(sim.calls.count("token")).toBe(1);
    expect(sim.calls.count("getUser")).toBe(1);
  });

  it("renews the token 15 minutes before expires_on", async () => {
    let clock = Date.parse("2026-11-23T08:00:00Z");
    const now = () => clock;
    const timed = await AccountPlatformSimulator.start({
      clients: [CLIENT],
      tokenTtlSeconds: 7_200,
      now,
    });
    try {
      const user = timed.seedUser({ login: "clock", tenant_id: TENANT });
      const accounts = client({ now }, timed);
      await accounts.getUser(user.id);
      clock += (7_200 - 15 * 60) * 1000 - 1_000; // 15 min + 1 s before expiry: still cached
      await accounts.getUser(user.id);
      expect(timed.calls.count("token")).toBe(1);
      clock += 2_000; // inside the last 15 minutes: renewed before the platform refuses it
      await accounts.getUser(user.id);
      expect(timed.calls.count("token")).toBe(2);
      clock += 7_200 * 1000 + 60_000; // well past any expiry
      await accounts.getUser(user.id);
      expect(timed.calls.count("token")).toBe(3);
      expect(timed.calls.all().filter((call) => call.status === 401)).toHaveLength(0);
    } finally {
      await timed.stop();
    }
  });

  it("renews a short-lived token half-way through its life", async () => {
    let clock = Date.parse("2026-11-23T08:00:00Z");
    const now = () => clock;
    const timed = await AccountPlatformSimulator.start({
      clients: [CLIENT],
      tokenTtlSeconds: 600,
      now,
    });
    try {
      const user = timed.seedUser({ login: "short", tenant_id: TENANT });
      const accounts = client({ now }, timed);
      await accounts.getUser(user.id);
      clock += 299_000;
      await accounts.getUser(user.id);
      expect(timed.calls.count("token")).toBe(1);
      clock += 2_000;
      await accounts.getUser(user.id);
      expect(timed.calls.count("token")).toBe(2);
    } finally {
      await timed.stop();
    }
  });

  it("re-authenticates once on a 401 and retries the call", async () => {
    const user = seed();
    const accounts = client();
    await accounts.getUser(user.id);
    sim.revokeTokens();
    await expect(accounts.getUser(user.id)).resolves.toMatchObject({ id: user.id });
    expect(sim.calls.count("token")).toBe(2);
    expect(
      sim.calls
        .all()
        .filter((c) => c.operation === "getUser")
        .map((c) => c.status),
    ).toEqual([200, 401, 200]);
  });

  it("re-authenticates many concurrent callers hit by one revocation with one token request", async () => {
    const user = seed();
    const accounts = client();
    await accounts.getUser(user.id);
    sim.revokeTokens();
    sim.calls.clear();
    await Promise.all(Array.from({ length: 20 }, () => accounts.getUser(user.id)));
    expect(sim.calls.count("token")).toBe(1);
  });

  it("a second 401 with a fresh token is UnauthorizedError", async () => {
    const user = seed();
    sim.faults.add({ operation: "getUser", status: 401, times: 2 });
    const error = await failureOf(client().getUser(user.id));
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ status: 401 });
    expect(sim.calls.count("getUser")).toBe(2);
    expect(sim.calls.count("token")).toBe(2);
  });

  it("re-reads the secret once when the token endpoint refuses the client (rotation)", async () => {
    const secretsManager = mockClient(SecretsManagerClient);
    try {
      secretsManager
        .on(GetSecretValueCommand)
        .resolvesOnce({
          SecretString: JSON.stringify({ clientId: "hr-sync", clientSecret: "stale" }),
        })
        .resolves({ SecretString: JSON.stringify(CLIENT) });
      const credentials = new SecretsManagerCredentialSource({
        client: new SecretsManagerClient({ region: "us-east-1" }),
        secretId: "account-platform",
        shape: accountPlatformCredentialsShape,
      });
      const user = seed();
      await expect(client({ credentials }).getUser(user.id)).resolves.toMatchObject({
        id: user.id,
      });
      expect(
        sim.calls
          .all()
          .filter((c) => c.operation === "token")
          .map((c) => c.status),
      ).toEqual([400, 200]);
      expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    } finally {
      secretsManager.restore();
    }
  });

  it("treats a token endpoint 401 like invalid_client", async () => {
    const user = seed();
    const credentials = countingSource(CLIENT);
    sim.faults.add({ operation: "token", status: 401 });
    await expect(client({ credentials }).getUser(user.id)).resolves.toMatchObject({ id: user.id });
    expect(credentials.refreshes).toBe(1);
  });

  it("still refused after the re-read is CredentialsRefusedError; a later rotation recovers", async () => {
    const rotating = await AccountPlatformSimulator.start({ clients: [ROTATED] });
    try {
      const user = rotating.seedUser({ login: "rotating", tenant_id: TENANT });
      const credentials = new StaticCredentialSource(CLIENT);
      const accounts = client({ credentials }, rotating);
      const error = await failureOf(accounts.getUser(user.id));
      expect(error).toBeInstanceOf(CredentialsRefusedError);
      expect(error).toMatchObject({ operation: "token", status: 400 });
      expect(rotating.calls.count("token")).toBe(2);
      expect(rotating.calls.count("getUser")).toBe(0);

      credentials.replace(ROTATED);
      await expect(accounts.getUser(user.id)).resolves.toMatchObject({ id: user.id });
    } finally {
      await rotating.stop();
    }
  });
});

describe("AccountPlatformClient: setEnabled", () => {
  it("disables with the version just read and returns the new user", async () => {
    const user = seed();
    const updated = await client().setEnabled(user.id, false, user.version);
    expect(updated).toMatchObject({ id: user.id, enabled: false, version: user.version + 1 });
    expect(sim.user(user.id)).toMatchObject({ enabled: false, version: user.version + 1 });
  });

  it("a stale version is VersionConflictError (409)", async () => {
    const user = seed();
    sim.setUser(user.id, { login: user.login }); // someone else wrote: version moved on
    const error = await failureOf(client().setEnabled(user.id, false, user.version));
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject({ status: 409 });
    expect(sim.calls.count("setEnabled")).toBe(1);
  });

  it("a concurrent writer's bump is a conflict too", async () => {
    const user = seed();
    sim.faults.add({ operation: "setEnabled", bumpVersion: true });
    const error = await failureOf(client().setEnabled(user.id, false, user.version));
    expect(error).toBeInstanceOf(VersionConflictError);
  });

  it("426 is a version conflict as well", async () => {
    const strict = await AccountPlatformSimulator.start({ clients: [CLIENT], conflictStatus: 426 });
    try {
      const user = strict.seedUser({ login: "strict", tenant_id: TENANT });
      const error = await failureOf(
        client({}, strict).setEnabled(user.id, false, user.version + 7),
      );
      expect(error).toBeInstanceOf(VersionConflictError);
      expect(error).toMatchObject({ status: 426 });
    } finally {
      await strict.stop();
    }
  });

  it("is not retried by the HTTP client on 503", async () => {
    const user = seed();
    sim.faults.add({ operation: "setEnabled", status: 503, times: 5 });
    const error = await failureOf(
      client({ readRetries: 3 }).setEnabled(user.id, false, user.version),
    );
    expect(error).toBeInstanceOf(UnavailableError);
    expect(sim.calls.count("setEnabled")).toBe(1);
  });

  it("is asked again after Retry-After when refused with 429: the platform did not act on it", async () => {
    const user = seed();
    sim.faults.add({ operation: "setEnabled", status: 429, retryAfter: "1" });
    await expect(client().setEnabled(user.id, false, user.version)).resolves.toMatchObject({
      enabled: false,
      version: user.version + 1,
    });
    expect(sim.calls.count("setEnabled")).toBe(2);
    expect(gapsBetween("setEnabled")[0]).toBeGreaterThanOrEqual(950);
  });

  it("hands a 429 back when Retry-After exceeds the cap or the retries are spent", async () => {
    const user = seed();
    sim.faults.add({ operation: "setEnabled", status: 429, retryAfter: "30" });
    const limited = await failureOf(
      client({ retryCapMs: 1_000 }).setEnabled(user.id, false, user.version),
    );
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited).toMatchObject({ retryAfterMs: 30_000 });
    expect(sim.calls.count("setEnabled")).toBe(1);

    sim.faults.add({ operation: "setEnabled", status: 429, times: 5 });
    const spent = await failureOf(
      client({ readRetries: 1 }).setEnabled(user.id, false, user.version),
    );
    expect(spent).toBeInstanceOf(RateLimitedError);
    expect(sim.calls.count("setEnabled")).toBe(1 + 2);
    expect((await client().getUser(user.id)).enabled).toBe(true);
  });

  it("a lost answer is UnavailableError, not retried, and a re-read shows it applied", async () => {
    const user = seed();
    sim.faults.add({ operation: "setEnabled", reset: "after-apply" });
    const accounts = client();
    const error = await failureOf(accounts.setEnabled(user.id, false, user.version));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error).not.toBeInstanceOf(VersionConflictError);
    expect(sim.calls.count("setEnabled")).toBe(1);
    // What the consumer does next: re-read and decide again.
    await expect(accounts.getUser(user.id)).resolves.toMatchObject({
      enabled: false,
      version: user.version + 1,
    });
  });

  it("a write that times out is not retried", async () => {
    const user = seed();
    sim.faults.add({ operation: "setEnabled", latencyMs: 1_000 });
    const error = await failureOf(
      client({ timeoutMs: 150 }).setEnabled(user.id, false, user.version),
    );
    expect(error).toBeInstanceOf(UnavailableError);
    expect(sim.calls.all().filter((c) => c.operation === "setEnabled").length).toBeLessThanOrEqual(
      1,
    );
  });

  it("re-authenticates on a 401 and sends the PUT again (a 401 means it was not applied)", async () => {
    const user = seed();
    const accounts = client();
    await accounts.getUser(user.id);
    sim.revokeTokens();
    await expect(accounts.setEnabled(user.id, false, user.version)).resolves.toMatchObject({
      enabled: false,
    });
    expect(
      sim.calls
        .all()
        .filter((c) => c.operation === "setEnabled")
        .map((c) => c.status),
    ).toEqual([401, 200]);
  });

  it("a missing user is NotFoundError", async () => {
    const error = await failureOf(client().setEnabled(randomUUID(), false, 1));
    expect(error).toBeInstanceOf(NotFoundError);
  });
});

describe("AccountPlatformClient: lookups", () => {
  it("finds a user by external id, and tells none from several", async () => {
    const externalId = `emp-${randomUUID().slice(0, 8)}`;
    const user = seed(undefined, { external_id: externalId });
    const accounts = client();
    await expect(accounts.findByExternalId(externalId, TENANT)).resolves.toMatchObject({
      id: user.id,
    });
    const nobody = await failureOf(accounts.findByExternalId("emp-nobody", TENANT));
    expect(nobody).toBeInstanceOf(NotFoundError);
    // The lookup answered 200: a dead letter must not report that as the failure's HTTP status.
    expect(nobody).toMatchObject({ status: undefined });
    const twice = `emp-${randomUUID().slice(0, 8)}`;
    seed(undefined, { external_id: twice });
    seed(undefined, { external_id: twice });
    const error = await failureOf(accounts.findByExternalId(twice, TENANT));
    expect(error).toBeInstanceOf(AmbiguousUserError);
    expect(error).toMatchObject({ matches: 2 });
  });

  it("finds by exact login, case-insensitively, despite prefix matches (jdoe vs jdoe2)", async () => {
    const prefix = `jd${randomUUID().slice(0, 6)}`;
    const jdoe = seed(prefix);
    seed(`${prefix}2`);
    seed(`${prefix}3`);
    const accounts = client();
    await expect(accounts.findByLogin(prefix, TENANT)).resolves.toBe(jdoe.id);
    await expect(accounts.findByLogin(prefix.toUpperCase(), TENANT)).resolves.toBe(jdoe.id);
    const missing = await failureOf(accounts.findByLogin(prefix.slice(0, -1), TENANT));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing).toMatchObject({ status: undefined });
  });

  it("two users with the same login (any case) are AmbiguousUserError", async () => {
    const login = `twin${randomUUID().slice(0, 6)}`;
    seed(login);
    seed(login.toUpperCase());
    const error = await failureOf(client().findByLogin(login, TENANT));
    expect(error).toBeInstanceOf(AmbiguousUserError);
  });

  it("asks again with a larger limit when a full page holds no exact match", async () => {
    const word = `zeta${randomUUID().slice(0, 6)}`;
    // Prefix matches by name and e-mail whose logins sort (and were created) before the wanted one.
    for (const n of [1, 2, 3]) {
      seed(`a-${word}-${n}`, {
        contact: { firstname: `${word}${n}`, email: `${word}${n}@example.com` },
      });
    }
    const wanted = seed(word);
    const found = await client({ searchLimit: 2, searchLimitMax: 8 }).findByLogin(word, TENANT);
    expect(found).toBe(wanted.id);
    expect(sim.calls.count("search")).toBe(2);
  });

  it("stops at searchLimitMax and says the search was truncated", async () => {
    const word = `omega${randomUUID().slice(0, 6)}`;
    for (const n of [1, 2, 3, 4]) seed(`${word}${n}`);
    const error = await failureOf(
      client({ searchLimit: 1, searchLimitMax: 2 }).findByLogin(word, TENANT),
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toContain("first 2");
    expect(sim.calls.count("search")).toBe(2);
  });
});

function countingSource(value: AccountPlatformCredentials) {
  const source: CredentialSource<AccountPlatformCredentials> & { refreshes: number } = {
    refreshes: 0,
    get: async () => value,
    refresh: async () => {
      source.refreshes += 1;
      return value;
    },
  };
  return source;
}

describe("the platform clients the consumer, the reconcile and the CLI make", () => {
  it("pace a platform that refuses heavily", async () => {
    const user = seed();
    sim.faults.setRateLimit(10, 0);
    const logs = captureLogs();
    const { accountPlatform } = createPlatformClients({
      accountPlatform: { url: sim.url },
      osis: { url: "http://127.0.0.1:9", basePath: "/api/v1" },
      credentials: {
        accountPlatform: new StaticCredentialSource(CLIENT),
        osis: new StaticCredentialSource({ username: "unused", password: "unused" }),
      },
      timeoutMs: 2_000,
      logger: logs.logger,
    });
    // Twenty readers for a second and a half against a limit of ten a second: the pace needs
    // a whole second of answers before it may start.
    const until = Date.now() + 1_500;
    const reader = async () => {
      while (Date.now() < until) await accountPlatform.getUser(user.id).catch(() => undefined);
    };
    await Promise.all(Array.from({ length: 20 }, reader)).finally(() =>
      sim.faults.setRateLimit(undefined),
    );
    expect(logs.lines.some((line) => line.includes("are now paced"))).toBe(true);
  });
});
