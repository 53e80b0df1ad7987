import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EPHEMERAL_PORTS } from "../../local/local-ports.ts";
import { startLocalStack } from "../../local/local-stack.ts";
import { AccountPlatformSimulator } from "../../local/simulators/account-platform/account-platform-simulator.ts";
import { OsisSimulator } from "../../local/simulators/osis/osis-simulator.ts";
import { ConfigurationError } from "../../shared/runtime/errors/configuration-error.ts";
import { captureLogs } from "../support/captured-logs.ts";
import { enqueue, event, FAST_TUNING, startTestStack } from "./local-stack-harness.ts";

// Stand-ins for platforms outside the stack: the stack must reach them only through the
// documented variables, with the credentials given there.
const TENANT = "real-tenant";
const CD_TENANT = "real-cd-tenant";
const CLIENT = { clientId: "real-client", clientSecret: "real-client-secret-value" };
const OSIS_LOGIN = { username: "real-osis", password: "real-osis-password-value" };

let directory: string;
let accounts: AccountPlatformSimulator;
let osis: OsisSimulator;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "local-real-"));
  [accounts, osis] = await Promise.all([
    AccountPlatformSimulator.start({ clients: [CLIENT] }),
    OsisSimulator.start({ basic: [OSIS_LOGIN] }),
  ]);
});

afterAll(async () => {
  await Promise.all([accounts.stop(), osis.stop()]);
  await rm(directory, { recursive: true, force: true });
});

describe("the local stack on real platforms", () => {
  it("starts no simulator for a platform whose URL is set, and applies events there with the given credentials", async () => {
    const user = accounts.seedUser({ login: "rwalker", tenant_id: TENANT });
    osis.seedUser({ tenant_id: "osis-t", cd_tenant_id: CD_TENANT, cd_user_id: "rwalker" });
    const stackFile = join(directory, "local.json");
    const { stack, outcomes } = await startTestStack({
      stackFile,
      env: {
        ...FAST_TUNING,
        ACCOUNT_PLATFORM_URL: `${accounts.url}/api/2`,
        ACCOUNT_PLATFORM_TENANT_ID: TENANT,
        ACCOUNT_PLATFORM_CLIENT_ID: CLIENT.clientId,
        ACCOUNT_PLATFORM_CLIENT_SECRET: CLIENT.clientSecret,
        OSIS_URL: osis.url,
        OSIS_CD_TENANT_ID: CD_TENANT,
        OSIS_USERNAME: OSIS_LOGIN.username,
        OSIS_PASSWORD: OSIS_LOGIN.password,
      },
    });
    try {
      expect(stack.platforms.accountPlatform).toMatchObject({
        url: accounts.url,
        simulated: false,
        simulator: undefined,
      });
      expect(stack.platforms.osis).toMatchObject({
        url: osis.url,
        simulated: false,
        simulator: undefined,
      });
      expect(stack.consumerEnvironment).toMatchObject({
        ACCOUNT_PLATFORM_URL: accounts.url,
        ACCOUNT_PLATFORM_TENANT_ID: TENANT,
        OSIS_URL: osis.url,
        OSIS_CD_TENANT_ID: CD_TENANT,
      });

      await enqueue(
        stack,
        event("user.offboarded", "emp-real", {
          accountPlatform: { login: "rwalker" },
          osis: { cdUserId: "rwalker" },
        }),
      );
      await stack.waitUntilDrained({ timeoutMs: 20_000 });
      expect(outcomes.map((o) => o.outcome)).toEqual(["applied"]);
      expect(accounts.user(user.id)?.enabled).toBe(false);
      expect(osis.user("osis-t", "rwalker")?.active).toBe(false);

      // Real credentials stay out of the stack file: it names the platforms only.
      const file = await readFile(stackFile, "utf8");
      expect(JSON.parse(file)).toMatchObject({
        accountPlatform: { url: accounts.url, tenantId: TENANT, simulated: false },
        osis: { url: osis.url, cdTenantId: CD_TENANT, simulated: false },
      });
      for (const secret of [CLIENT.clientId, CLIENT.clientSecret, OSIS_LOGIN.password]) {
        expect(file).not.toContain(secret);
      }
    } finally {
      await stack.stop();
    }
  });

  it("refuses to start when a real platform's URL comes without its tenant and credentials", async () => {
    const failure = await startLocalStack({
      ports: EPHEMERAL_PORTS,
      stackFile: false,
      env: { ACCOUNT_PLATFORM_URL: accounts.url, OSIS_URL: osis.url, OSIS_TOKEN: "a-token" },
      logger: captureLogs().logger,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigurationError);
    expect((failure as ConfigurationError).problems).toEqual([
      "ACCOUNT_PLATFORM_TENANT_ID is required when ACCOUNT_PLATFORM_URL is set",
      "ACCOUNT_PLATFORM_CLIENT_ID is required when ACCOUNT_PLATFORM_URL is set",
      "ACCOUNT_PLATFORM_CLIENT_SECRET is required when ACCOUNT_PLATFORM_URL is set",
      "OSIS_CD_TENANT_ID is required when OSIS_URL is set",
    ]);
  });
});
