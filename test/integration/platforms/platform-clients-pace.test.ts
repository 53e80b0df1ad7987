import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountPlatformSimulator } from "../../../local/simulators/account-platform/account-platform-simulator.ts";
import { StaticCredentialSource } from "../../../shared/credentials/static-credential-source.ts";
import { createPlatformClients } from "../../../shared/platforms/platform-clients.ts";
import { captureLogs } from "../../support/captured-logs.ts";

const CLIENT = { clientId: "hr-sync", clientSecret: "secret-one" };
const TENANT = "ede9f834-70b3-476c-83d9-736f9f8c7dae";

let sim: AccountPlatformSimulator;

beforeAll(async () => {
  sim = await AccountPlatformSimulator.start({ clients: [CLIENT] });
});
afterAll(async () => {
  await sim.stop();
});

describe("the platform clients the consumer, the reconcile and the CLI make", () => {
  it("pace a platform that refuses heavily", async () => {
    const user = sim.seedUser({ login: "paced", tenant_id: TENANT });
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
    await Promise.all(Array.from({ length: 20 }, reader));
    expect(logs.lines.some((line) => line.includes("are now paced"))).toBe(true);
  });
});
