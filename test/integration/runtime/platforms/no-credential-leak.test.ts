import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountPlatformSimulator } from "../../../../local/simulators/account-platform/account-platform-simulator.ts";
import { OsisSimulator } from "../../../../local/simulators/osis/osis-simulator.ts";
import type { OsisCredentials } from "../../../../shared/runtime/credentials/secret-shapes.ts";
import { StaticCredentialSource } from "../../../../shared/runtime/credentials/static-credential-source.ts";
import {
  AmbiguousUserError,
  CredentialsRefusedError,
  NotAppliedError,
  NotFoundError,
  RateLimitedError,
  RejectedError,
  UnauthorizedError,
  UnavailableError,
  UnsupportedError,
  VersionConflictError,
} from "../../../../shared/runtime/errors/platform-errors.ts";
import type { FetchFunction } from "../../../../shared/runtime/http/platform-http.ts";
import { createLogger, describeError } from "../../../../shared/runtime/logging/logger.ts";
import { AccountPlatformClient } from "../../../../shared/runtime/platforms/account-platform/account-platform-client.ts";
import { OsisClient } from "../../../../shared/runtime/platforms/osis/osis-client.ts";
import { basicOf, expectNoSecretIn, failureOf, renderings } from "./helpers.ts";

const CLIENT = { clientId: "leak-test-client", clientSecret: "AP-CLIENT-SECRET-7f3b9e" };
const OSIS_BASIC = { username: "leak-test-user", password: "OSIS-PASSWORD-1c8d44" };
const OSIS_TOKEN = "OSIS-BEARER-TOKEN-5e2a90";
const STALE_PASSWORD = "OSIS-STALE-PASSWORD-77ab";
const TENANT = "ede9f834-70b3-476c-83d9-736f9f8c7dae";

let accountSim: AccountPlatformSimulator;
let osisSim: OsisSimulator;
let otherClientSim: AccountPlatformSimulator;
const issuedTokens: string[] = [];
const logLines: string[] = [];
const logger = createLogger({
  level: "debug",
  format: "json",
  sink: (line) => logLines.push(line),
});

/** Real fetch, noting every access token the simulator issues so the test can look for it. */
const notingFetch: FetchFunction = async (input, init) => {
  const response = await fetch(input, init);
  const url = input instanceof Request ? input.url : String(input);
  if (url.endsWith("/idp/token") && response.ok) {
    const body = (await response.clone().json()) as { access_token?: string };
    if (body.access_token) issuedTokens.push(body.access_token);
  }
  return response;
};

function secrets(): string[] {
  return [
    CLIENT.clientSecret,
    basicOf(CLIENT.clientId, CLIENT.clientSecret),
    OSIS_BASIC.password,
    basicOf(OSIS_BASIC.username, OSIS_BASIC.password),
    OSIS_TOKEN,
    STALE_PASSWORD,
    ...issuedTokens,
  ];
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return `http://127.0.0.1:${address.port}`;
}

beforeAll(async () => {
  accountSim = await AccountPlatformSimulator.start({ clients: [CLIENT] });
  otherClientSim = await AccountPlatformSimulator.start({
    clients: [{ clientId: "someone-else", clientSecret: "their-secret" }],
  });
  osisSim = await OsisSimulator.start({ basic: [OSIS_BASIC], tokens: [OSIS_TOKEN] });
});
afterAll(async () => {
  await Promise.all([accountSim.stop(), otherClientSim.stop(), osisSim.stop()]);
});

function accounts(url = accountSim.url, timeoutMs = 5_000) {
  return new AccountPlatformClient({
    url,
    credentials: new StaticCredentialSource(CLIENT),
    retryBaseMs: 5,
    readRetries: 1,
    retryCapMs: 1_000,
    timeoutMs,
    fetch: notingFetch,
    logger,
    onCall: (record) => logger.debug("platform call", { ...record }),
  });
}

function osis(credentials: OsisCredentials, url = osisSim.url, timeoutMs = 5_000) {
  return new OsisClient({
    url,
    credentials: new StaticCredentialSource(credentials),
    retryBaseMs: 5,
    readRetries: 1,
    retryCapMs: 1_000,
    timeoutMs,
    logger,
    onCall: (record) => logger.debug("platform call", { ...record }),
  });
}

describe("no credential in any error or log line", () => {
  it("holds for every error kind of both clients", async () => {
    const errors: Error[] = [];
    const expectKind = async (
      kind: abstract new (...args: never[]) => Error,
      call: Promise<unknown>,
    ) => {
      const error = await failureOf(call);
      expect(error).toBeInstanceOf(kind);
      errors.push(error);
      // What a handler would do with it.
      logger.error("platform call failed", { error: describeError(error) });
      logger.error("platform call failed (raw object handed to the logger)", { error });
    };

    // Account platform.
    const user = accountSim.seedUser({
      login: `leak-${randomUUID().slice(0, 6)}`,
      tenant_id: TENANT,
    });
    const ap = accounts();
    await ap.getUser(user.id); // a token is issued and noted
    await expectKind(NotFoundError, ap.getUser(randomUUID()));
    const externalId = `emp-${randomUUID().slice(0, 6)}`;
    accountSim.seedUser({ login: `a-${externalId}`, tenant_id: TENANT, external_id: externalId });
    accountSim.seedUser({ login: `b-${externalId}`, tenant_id: TENANT, external_id: externalId });
    await expectKind(AmbiguousUserError, ap.findByExternalId(externalId, TENANT));
    await expectKind(VersionConflictError, ap.setEnabled(user.id, false, user.version + 5));
    accountSim.faults.add({
      operation: "getUser",
      status: 400,
      // A platform that echoes what it was sent: the client must not pass it on.
      body: JSON.stringify({
        error: { code: 1, message: `bad header Bearer ${issuedTokens[0]} ${CLIENT.clientSecret}` },
      }),
      contentType: "application/json",
    });
    await expectKind(RejectedError, ap.getUser(user.id));
    accountSim.faults.add({
      operation: "token",
      status: 400,
      body: JSON.stringify({
        error: "invalid_request",
        error_description: `got ${CLIENT.clientSecret} / ${basicOf(CLIENT.clientId, CLIENT.clientSecret)}`,
      }),
      contentType: "application/json",
    });
    await expectKind(RejectedError, accounts().getUser(user.id));
    accountSim.faults.add({ operation: "getUser", status: 401, times: 2 });
    await expectKind(UnauthorizedError, ap.getUser(user.id));
    await expectKind(CredentialsRefusedError, accounts(otherClientSim.url).getUser(user.id));
    accountSim.faults.add({ operation: "getUser", status: 429, retryAfter: "60" });
    await expectKind(RateLimitedError, ap.getUser(user.id));
    accountSim.faults.add({ operation: "getUser", status: 503, times: 2 });
    await expectKind(UnavailableError, ap.getUser(user.id));
    accountSim.faults.add({ operation: "setEnabled", reset: "after-apply" });
    await expectKind(UnavailableError, ap.setEnabled(user.id, false, user.version));
    // One attempt: a read's retries share its one deadline, which the stall uses up.
    accountSim.faults.add({ operation: "getUser", latencyMs: 1_000 });
    await expectKind(UnavailableError, accounts(accountSim.url, 100).getUser(user.id));
    await expectKind(UnavailableError, accounts(await closedPortUrl()).getUser(user.id));
    const fresh = accountSim.user(user.id);
    accountSim.faults.add({
      operation: "setEnabled",
      status: 200,
      body: JSON.stringify({ ...fresh, enabled: true }),
      contentType: "application/json",
    });
    await expectKind(NotAppliedError, ap.setEnabled(user.id, false, fresh?.version ?? 0));
    accountSim.faults.add({ operation: "getUser", status: 501 });
    await expectKind(UnsupportedError, ap.getUser(user.id));

    // OSIS, with Basic auth and with a bearer token.
    const osisUser = osisSim.seedUser({
      tenant_id: TENANT,
      cd_user_id: `leak-${randomUUID().slice(0, 6)}`,
      cd_tenant_id: randomUUID(),
    });
    for (const credentials of [OSIS_BASIC, { token: OSIS_TOKEN }] as OsisCredentials[]) {
      const o = osis(credentials);
      await expectKind(NotFoundError, o.getUser(TENANT, "nobody"));
      osisSim.faults.add({
        operation: "getUser",
        status: 400,
        // Echoes what this request carried (a platform cannot echo what it was never sent).
        body: `<html>you sent ${"token" in credentials ? credentials.token : `${credentials.password} ${basicOf(credentials.username, credentials.password)}`}</html>`,
        contentType: "text/html",
      });
      await expectKind(RejectedError, o.getUser(TENANT, osisUser.cd_user_id));
      osisSim.faults.add({ operation: "getUser", status: 401, times: 2 });
      await expectKind(UnauthorizedError, o.getUser(TENANT, osisUser.cd_user_id));
      osisSim.faults.add({ operation: "getUser", status: 429, retryAfter: "60" });
      await expectKind(RateLimitedError, o.getUser(TENANT, osisUser.cd_user_id));
      osisSim.faults.add({ operation: "setActive", status: 502 });
      await expectKind(UnavailableError, o.setActive(TENANT, osisUser.cd_user_id, false));
      osisSim.faults.add({ operation: "getUser", latencyMs: 1_000 });
      await expectKind(UnavailableError, osis(credentials, osisSim.url, 100).getUser(TENANT, "x"));
      await expectKind(
        UnavailableError,
        osis(credentials, await closedPortUrl()).getUser(TENANT, "x"),
      );
      osisSim.faults.add({
        operation: "setActive",
        status: 200,
        body: JSON.stringify({ ...osisUser, active: true }),
        contentType: "application/json",
      });
      await expectKind(NotAppliedError, o.setActive(TENANT, osisUser.cd_user_id, false));
      osisSim.faults.add({ operation: "setActive", status: 501 });
      await expectKind(UnsupportedError, o.setActive(TENANT, osisUser.cd_user_id, false));
    }
    await expectKind(
      UnauthorizedError,
      osis({ ...OSIS_BASIC, password: STALE_PASSWORD }).getUser(TENANT, "x"),
    );

    expect(issuedTokens.length).toBeGreaterThan(0);
    expect(errors.length).toBeGreaterThanOrEqual(30);
    expectNoSecretIn(errors.flatMap(renderings), secrets());
    expect(logLines.length).toBeGreaterThan(errors.length);
    expectNoSecretIn(logLines, secrets());
  });
});
